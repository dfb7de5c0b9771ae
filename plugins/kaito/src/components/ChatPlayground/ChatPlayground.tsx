import { useApi } from '@backstage/core-plugin-api';
import {
  ChatMessage,
  WorkspaceDetail,
  formatWorkspaceRef,
  kaitoChatPermission,
  validateChatCompletionRequest,
} from '@kaito-backstage/plugin-kaito-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Slider from '@mui/material/Slider';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { FormEvent, useEffect, useRef, useState } from 'react';
import { kaitoApiRef } from '../../api';
import { useActionPermission } from '../../hooks/useKaitoPermission';
import { useSessionState } from '../../hooks/useSessionState';
import { errorMessage } from '../../lib/errors';

/** Chat parameters the playground sends. */
export interface ChatSettings {
  temperature: number;
  maxTokens: number;
  systemPrompt: string;
}

/** Defaults of {@link ChatSettings}. */
export const DEFAULT_CHAT_SETTINGS: ChatSettings = {
  temperature: 0.7,
  maxTokens: 256,
  systemPrompt: '',
};

/** Props of {@link ChatPlayground}. */
export interface ChatPlaygroundProps {
  workspace: WorkspaceDetail;
  entityRef: string;
}

/** sessionStorage key of a workspace's conversation. */
export function chatStorageKey(workspace: WorkspaceDetail): string {
  return `kaito:chat:${formatWorkspaceRef(workspace)}`;
}

function MessageBubble({
  message,
  streaming,
}: {
  message: ChatMessage;
  streaming?: boolean;
}) {
  const user = message.role === 'user';
  return (
    <Box
      sx={{ display: 'flex', justifyContent: user ? 'flex-end' : 'flex-start' }}
    >
      <Paper
        variant="outlined"
        data-testid={`chat-message-${message.role}`}
        aria-busy={streaming || undefined}
        sx={{
          p: 1.5,
          maxWidth: '80%',
          bgcolor: user ? 'action.selected' : 'background.paper',
        }}
      >
        <Typography variant="caption" color="textSecondary">
          {user ? 'You' : 'Model'}
          {streaming ? ' · answering…' : ''}
        </Typography>
        <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap' }}>
          {message.content}
        </Typography>
      </Paper>
    </Box>
  );
}

/**
 * Chat with an inference workspace: answers stream in as the model writes
 * them; the conversation is kept for the browser session.
 */
export function ChatPlayground({ workspace, entityRef }: ChatPlaygroundProps) {
  const kaitoApi = useApi(kaitoApiRef);
  const permission = useActionPermission(
    kaitoChatPermission,
    'chat with the models of this entity',
    entityRef,
  );
  const key = chatStorageKey(workspace);
  const [messages, setMessages] = useSessionState<ChatMessage[]>(key, []);
  const [settings, setSettings] = useSessionState<ChatSettings>(
    'kaito:chat:settings',
    DEFAULT_CHAT_SETTINGS,
  );
  const [input, setInput] = useState('');
  const [answer, setAnswer] = useState<string>();
  const [error, setError] = useState<string>();
  const controller = useRef<AbortController>();
  const bottom = useRef<HTMLDivElement>(null);

  useEffect(() => () => controller.current?.abort(), []);
  useEffect(() => {
    bottom.current?.scrollIntoView?.({ block: 'end' });
  }, [messages, answer]);

  const adapterModel = workspace.inference?.adapters.find(a => a.name)?.name;
  const ready = workspace.state === 'Ready';
  const busy = answer !== undefined;
  let blockedReason: string | undefined;
  if (!permission.allowed) {
    blockedReason = permission.reason;
  } else if (!ready) {
    blockedReason = `The model is not serving yet (state ${workspace.state}).`;
  }

  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    const content = input.trim();
    if (!content || busy || blockedReason) return;
    const history: ChatMessage[] = [...messages, { role: 'user', content }];
    setMessages(history);
    setInput('');
    setError(undefined);
    setAnswer('');
    const abort = new AbortController();
    controller.current = abort;
    let text = '';
    try {
      const request = {
        messages: settings.systemPrompt.trim()
          ? [
              {
                role: 'system' as const,
                content: settings.systemPrompt.trim(),
              },
              ...history,
            ]
          : history,
        // vLLM serves each LoRA adapter as its own model; without a name the
        // base model answers, so ask for the (first) adapter when there is one.
        ...(adapterModel ? { model: adapterModel } : {}),
        temperature: settings.temperature,
        max_tokens: settings.maxTokens,
      };
      // The API's own rules (kaito-common): nothing is sent that it refuses.
      const issues = validateChatCompletionRequest(request);
      if (issues.length > 0) {
        throw new Error(issues.map(issue => issue.message).join('; '));
      }
      for await (const chunk of kaitoApi.streamChatCompletion(
        workspace,
        request,
        {
          signal: abort.signal,
        },
      )) {
        const delta = chunk.choices[0]?.delta?.content ?? '';
        if (delta) {
          text += delta;
          setAnswer(text);
        }
      }
    } catch (e) {
      if (!abort.signal.aborted) {
        setError(errorMessage(e));
      }
    } finally {
      if (text) {
        setMessages(current => [
          ...current,
          { role: 'assistant', content: text },
        ]);
      }
      setAnswer(undefined);
      controller.current = undefined;
    }
  };

  const stop = () => controller.current?.abort();

  return (
    <Stack spacing={2}>
      {blockedReason && <Alert severity="info">{blockedReason}</Alert>}
      <Stack direction="row" spacing={3} alignItems="center" flexWrap="wrap">
        <Box sx={{ width: 220 }}>
          <Typography variant="caption" id="kaito-chat-temperature">
            Temperature: {settings.temperature.toFixed(1)}
          </Typography>
          <Slider
            aria-labelledby="kaito-chat-temperature"
            min={0}
            max={2}
            step={0.1}
            value={settings.temperature}
            onChange={(_e, v) =>
              setSettings(s => ({ ...s, temperature: v as number }))
            }
          />
        </Box>
        <TextField
          label="Max tokens"
          type="number"
          size="small"
          value={settings.maxTokens}
          inputProps={{ min: 1, max: 8192 }}
          onChange={e =>
            setSettings(s => ({
              ...s,
              maxTokens: Math.max(
                1,
                Math.min(8192, Number(e.target.value) || 1),
              ),
            }))
          }
        />
        <TextField
          label="System prompt"
          size="small"
          sx={{ flexGrow: 1, minWidth: 240 }}
          value={settings.systemPrompt}
          onChange={e =>
            setSettings(s => ({ ...s, systemPrompt: e.target.value }))
          }
        />
        <Button
          onClick={() => {
            setMessages([]);
            setError(undefined);
          }}
          disabled={busy || messages.length === 0}
        >
          Clear conversation
        </Button>
      </Stack>
      <Paper
        variant="outlined"
        sx={{ p: 2, height: 420, overflow: 'auto' }}
        aria-label="Conversation"
        role="log"
      >
        <Stack spacing={1.5}>
          {messages.length === 0 && !busy && (
            <Typography variant="body2" color="textSecondary">
              Ask {workspace.preset ?? 'the model'} something.
            </Typography>
          )}
          {messages.map((m, i) => (
            <MessageBubble key={i} message={m} />
          ))}
          {busy && (
            <MessageBubble
              message={{ role: 'assistant', content: answer ?? '' }}
              streaming
            />
          )}
          <div ref={bottom} />
        </Stack>
      </Paper>
      {error && (
        <Alert severity="error">The model did not answer: {error}</Alert>
      )}
      <Box component="form" onSubmit={send}>
        <Stack direction="row" spacing={1} alignItems="flex-start">
          <TextField
            label="Message"
            fullWidth
            multiline
            maxRows={6}
            value={input}
            disabled={Boolean(blockedReason)}
            onChange={e => setInput(e.target.value)}
            onKeyDown={e => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                send();
              }
            }}
          />
          {busy ? (
            <Button variant="outlined" color="warning" onClick={stop}>
              Stop
            </Button>
          ) : (
            <Tooltip title={blockedReason ?? ''}>
              <span>
                <Button
                  type="submit"
                  variant="contained"
                  disabled={Boolean(blockedReason) || !input.trim()}
                >
                  Send
                </Button>
              </span>
            </Tooltip>
          )}
        </Stack>
      </Box>
    </Stack>
  );
}
