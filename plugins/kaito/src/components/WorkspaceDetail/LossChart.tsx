import { LossPoint } from '@kaito-backstage/plugin-kaito-common';
import Box from '@mui/material/Box';
import { LineChart } from '@mui/x-charts/LineChart';

/** Props of {@link LossChart}. */
export interface LossChartProps {
  loss: LossPoint[];
  evalLoss?: LossPoint[];
  height?: number;
}

function xOf(point: LossPoint, index: number): number {
  return point.step ?? index + 1;
}

/** Training (and evaluation) loss over optimizer steps. */
export function LossChart({
  loss,
  evalLoss = [],
  height = 260,
}: LossChartProps) {
  const byStep = new Map<number, { loss?: number; evalLoss?: number }>();
  loss.forEach((p, i) => {
    byStep.set(xOf(p, i), { ...byStep.get(xOf(p, i)), loss: p.loss });
  });
  evalLoss.forEach((p, i) => {
    byStep.set(xOf(p, i), { ...byStep.get(xOf(p, i)), evalLoss: p.loss });
  });
  const steps = [...byStep.keys()].sort((a, b) => a - b);
  const series = [
    {
      id: 'loss',
      label: 'Training loss',
      data: steps.map(s => byStep.get(s)?.loss ?? null),
      connectNulls: true,
      showMark: false,
    },
    ...(evalLoss.length > 0
      ? [
          {
            id: 'eval-loss',
            label: 'Evaluation loss',
            data: steps.map(s => byStep.get(s)?.evalLoss ?? null),
            connectNulls: true,
          },
        ]
      : []),
  ];
  return (
    <Box data-testid="loss-chart" aria-label="Loss curve" role="figure">
      <LineChart
        height={height}
        xAxis={[{ data: steps, label: 'step', scaleType: 'linear' }]}
        series={series}
        margin={{ top: 30, right: 20, bottom: 40, left: 50 }}
      />
    </Box>
  );
}
