export interface ProgressSink {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * Progress on stderr for runs over a second: a redrawn bar on a terminal, a plain line every 10 % otherwise
 * (logs and CI keep readable output).
 */
export class Progress {
  private readonly start: number;
  private lastDraw = 0;
  private lastDecile = 0;
  private drawn = false;

  constructor(
    private readonly sink: ProgressSink,
    private readonly label: string,
    private readonly now: () => number,
  ) {
    this.start = now();
  }

  update(done: number, total: number): void {
    const t = this.now();
    const elapsed = (t - this.start) / 1000;
    if (elapsed < 1 && done < total) return;
    if (elapsed < 1 && !this.drawn) return;
    const frac = total > 0 ? done / total : 1;
    if (this.sink.isTTY) {
      if (t - this.lastDraw < 100 && done < total) return;
      this.lastDraw = t;
      const width = Math.max(10, Math.min(40, (this.sink.columns ?? 80) - 50));
      const fill = Math.round(frac * width);
      const eta = frac > 0 ? (elapsed / frac) * (1 - frac) : 0;
      this.sink.write(`\r${this.label} [${'#'.repeat(fill)}${'-'.repeat(width - fill)}] ${(frac * 100).toFixed(0).padStart(3)}% ${done}/${total} · ${elapsed.toFixed(1)} s · eta ${eta.toFixed(0)} s `);
      this.drawn = true;
    } else {
      const decile = Math.floor(frac * 10);
      if (decile <= this.lastDecile && done < total) return;
      if (done === total && !this.drawn && decile === this.lastDecile) return;
      this.lastDecile = decile;
      this.sink.write(`${this.label}: ${(frac * 100).toFixed(0)}% (${done}/${total}, ${elapsed.toFixed(1)} s)\n`);
      this.drawn = true;
    }
  }

  /** Ends the bar's line on a terminal. */
  finish(): void {
    if (this.sink.isTTY && this.drawn) this.sink.write('\n');
  }
}
