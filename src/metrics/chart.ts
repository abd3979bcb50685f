/**
 * A horizontal bar chart as geometry for the SVG template (views/metrics/chart.njk): each row a
 * label and one bar per series, each bar with its value written beside it, so the chart reads
 * without colour and without styles; the same figures are in the table next to it.
 */
interface ChartBar {
  series: number;
  x: number;
  y: number;
  width: number;
  height: number;
  valueX: number;
  valueText: string;
}

interface ChartRow {
  label: string;
  y: number;
  bars: ChartBar[];
}

export interface Chart {
  width: number;
  height: number;
  labelWidth: number;
  rows: ChartRow[];
  ticks: { x: number; text: string }[];
  series: { name: string }[];
}

const WIDTH = 760;
const LABEL_WIDTH = 260;
const BAR_HEIGHT = 14;
const BAR_GAP = 4;
const ROW_GAP = 18;
const TOP = 10;
const AXIS = 28;
/** Room on the right for the value of the longest bar. */
const VALUE_ROOM = 70;

export interface ChartInput {
  series: string[];
  rows: { label: string; values: (number | null)[] }[];
  format(value: number): string;
  noValue: string;
}

export function barChart(input: ChartInput): Chart {
  const max = Math.max(1, ...input.rows.flatMap((r) => r.values.map((v) => v ?? 0)));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const plot = WIDTH - LABEL_WIDTH - VALUE_ROOM;
  const scale = (v: number) => (v / top) * plot;
  const rowHeight = input.series.length * (BAR_HEIGHT + BAR_GAP) + ROW_GAP;
  const rows = input.rows.map((row, i) => {
    const y = TOP + i * rowHeight;
    return {
      label: row.label,
      y: y + (input.series.length * (BAR_HEIGHT + BAR_GAP)) / 2,
      bars: row.values.map((value, series) => {
        const width = value === null ? 0 : Math.max(1, scale(value));
        return {
          series,
          x: LABEL_WIDTH,
          y: y + series * (BAR_HEIGHT + BAR_GAP),
          width: Math.round(width * 10) / 10,
          height: BAR_HEIGHT,
          valueX: Math.round((LABEL_WIDTH + width + 4) * 10) / 10,
          valueText: value === null ? input.noValue : input.format(value),
        };
      }),
    };
  });
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => ({
    x: Math.round((LABEL_WIDTH + scale(i * step)) * 10) / 10,
    text: input.format(i * step),
  }));
  return {
    width: WIDTH,
    height: TOP + rows.length * rowHeight + AXIS,
    labelWidth: LABEL_WIDTH,
    rows,
    ticks,
    series: input.series.map((name) => ({ name })),
  };
}

/** A round step for about five ticks: 1, 2 or 5 times a power of ten. */
function niceStep(max: number): number {
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const steps = [1, 2, 5, 10].map((m) => m * power);
  return steps.find((s) => s >= rough) ?? 10 * power;
}
