import { InfoCard } from '@backstage/core-components';
import { WorkspaceDetail } from '@kaito-backstage/plugin-kaito-common';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';

/** Props of {@link InferenceCard}. */
export interface InferenceCardProps {
  workspace: WorkspaceDetail;
}

/** Endpoint, runtime, adapters and benchmark of an inference workspace. */
export function InferenceCard({ workspace }: InferenceCardProps) {
  const inference = workspace.inference;
  const metrics = Object.entries(inference?.performance?.metrics ?? {});
  return (
    <InfoCard title="Endpoint">
      {workspace.endpoint ? (
        <>
          <Typography variant="body2">
            In-cluster URL: <code>{workspace.endpoint.serviceUrl}</code>{' '}
            (OpenAI-compatible <code>/v1/chat/completions</code>)
          </Typography>
          <Typography variant="body2">
            Through Backstage:{' '}
            <code>/api/kaito{workspace.endpoint.chatPath}</code>
          </Typography>
        </>
      ) : (
        <Typography variant="body2" color="textSecondary">
          No endpoint yet.
        </Typography>
      )}
      {inference && (
        <Typography variant="body2" sx={{ mt: 1 }}>
          Runtime: {inference.runtime}
        </Typography>
      )}
      <Typography variant="subtitle2" sx={{ mt: 2 }}>
        Adapters
      </Typography>
      {inference && inference.adapters.length > 0 ? (
        <Table size="small" aria-label="Adapters">
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              <TableCell>Image</TableCell>
              <TableCell>Strength</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {inference.adapters.map(a => (
              <TableRow key={a.name ?? a.image}>
                <TableCell>{a.name ?? '–'}</TableCell>
                <TableCell>
                  <code>{a.image ?? '–'}</code>
                </TableCell>
                <TableCell>{a.strength ?? '1.0'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        <Typography variant="body2" color="textSecondary">
          The base model is served without adapters.
        </Typography>
      )}
      {metrics.length > 0 && (
        <>
          <Typography variant="subtitle2" sx={{ mt: 2 }}>
            Benchmark
          </Typography>
          {metrics.map(([name, m]) => (
            <Typography variant="body2" key={name}>
              {m.description ?? name}: {String(m.value)} {m.unit ?? ''}
            </Typography>
          ))}
        </>
      )}
    </InfoCard>
  );
}
