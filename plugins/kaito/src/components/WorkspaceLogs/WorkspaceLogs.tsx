import { useApi } from '@backstage/core-plugin-api';
import { WorkspaceDetail } from '@kaito-backstage/plugin-kaito-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import Typography from '@mui/material/Typography';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { kaitoApiRef } from '../../api';
import { errorMessage, errorStatus } from '../../lib/errors';

/** The log view keeps at most this many characters (the newest). */
export const MAX_LOG_CHARS = 1_000_000;
const TAIL_OPTIONS = [100, 500, 2000, 10000];
const DEFAULT_POD = '';

/** Props of {@link WorkspaceLogs}. */
export interface WorkspaceLogsProps {
  workspace: WorkspaceDetail;
}

type StreamState = 'connecting' | 'streaming' | 'ended' | 'failed';

/**
 * The log of a workspace pod, optionally followed live (the tuning job's
 * trainer or the model server).
 */
export function WorkspaceLogs({ workspace }: WorkspaceLogsProps) {
  const kaitoApi = useApi(kaitoApiRef);
  const [pod, setPod] = useState(DEFAULT_POD);
  const [tailLines, setTailLines] = useState(500);
  const [follow, setFollow] = useState(!workspace.status.terminal);
  const [text, setText] = useState('');
  const [source, setSource] = useState<string>();
  const [state, setState] = useState<StreamState>('connecting');
  const [error, setError] = useState<Error>();
  const [attempt, setAttempt] = useState(0);
  const scroller = useRef<HTMLPreElement>(null);
  const stickToBottom = useRef(true);
  const { cluster, namespace, name } = workspace;

  useEffect(() => {
    const controller = new AbortController();
    setText('');
    setError(undefined);
    setState('connecting');
    stickToBottom.current = true;
    (async () => {
      try {
        const stream = await kaitoApi.streamWorkspaceLogs(
          { cluster, namespace, name },
          { follow, tailLines, ...(pod ? { pod } : {}) },
          { signal: controller.signal },
        );
        setSource(
          [stream.pod, stream.container].filter(Boolean).join(' / ') ||
            undefined,
        );
        setState('streaming');
        for await (const chunk of stream.chunks) {
          setText(current => {
            const next = current + chunk;
            return next.length > MAX_LOG_CHARS
              ? next.slice(next.length - MAX_LOG_CHARS)
              : next;
          });
        }
        if (!controller.signal.aborted) setState('ended');
      } catch (e) {
        if (!controller.signal.aborted) {
          setError(e as Error);
          setState('failed');
        }
      }
    })();
    return () => controller.abort();
  }, [kaitoApi, cluster, namespace, name, pod, tailLines, follow, attempt]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stickToBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [text]);

  const onScroll = () => {
    const el = scroller.current;
    if (el) {
      stickToBottom.current =
        el.scrollHeight - el.scrollTop - el.clientHeight < 24;
    }
  };

  const noPodYet = error && errorStatus(error) === 404;

  return (
    <Stack spacing={2}>
      <Stack direction="row" spacing={2} alignItems="center" flexWrap="wrap">
        <FormControl size="small" sx={{ minWidth: 220 }}>
          <InputLabel id="kaito-log-pod">Pod</InputLabel>
          <Select
            labelId="kaito-log-pod"
            label="Pod"
            value={pod}
            onChange={e => setPod(e.target.value)}
          >
            <MenuItem value={DEFAULT_POD}>Main pod</MenuItem>
            {workspace.pods.map(p => (
              <MenuItem key={p.name} value={p.name}>
                {p.name}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <FormControl size="small" sx={{ minWidth: 140 }}>
          <InputLabel id="kaito-log-tail">Last lines</InputLabel>
          <Select
            labelId="kaito-log-tail"
            label="Last lines"
            value={tailLines}
            onChange={e => setTailLines(Number(e.target.value))}
          >
            {TAIL_OPTIONS.map(n => (
              <MenuItem key={n} value={n}>
                {n}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <FormControlLabel
          control={
            <Switch
              checked={follow}
              onChange={e => setFollow(e.target.checked)}
              inputProps={{ 'aria-label': 'Follow' }}
            />
          }
          label="Follow"
        />
        <Typography variant="body2" color="textSecondary">
          {source ? `${source} · ` : ''}
          {state === 'connecting' && 'connecting…'}
          {state === 'streaming' && (follow ? 'following' : 'loading')}
          {state === 'ended' && (follow ? 'stream ended' : 'complete')}
        </Typography>
        {(state === 'ended' || state === 'failed') && (
          <Button size="small" onClick={() => setAttempt(a => a + 1)}>
            Reload
          </Button>
        )}
      </Stack>
      {error &&
        (noPodYet ? (
          <Alert severity="info">{errorMessage(error)}</Alert>
        ) : (
          <Alert severity="error">
            Could not read the log: {errorMessage(error)}
          </Alert>
        ))}
      <Box
        component="pre"
        ref={scroller}
        onScroll={onScroll}
        data-testid="workspace-log"
        sx={{
          m: 0,
          p: 2,
          height: 480,
          overflow: 'auto',
          fontFamily: 'monospace',
          fontSize: 12,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-all',
          bgcolor: 'background.default',
          border: 1,
          borderColor: 'divider',
          borderRadius: 1,
        }}
      >
        {text || (state === 'streaming' ? '' : ' ')}
      </Box>
    </Stack>
  );
}
