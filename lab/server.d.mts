import type { LabOrigins } from './scenarios.d.mts';

export interface StartLabOptions {
  /** Address the three servers listen on (default 127.0.0.1). The third origin is always named "localhost". */
  host?: string;
  /** Fixed ports; each defaults to 0 (OS-chosen). */
  ports?: { page?: number; api?: number; third?: number };
}

export interface RunningLab {
  origins: LabOrigins;
  /** A loopback port where nothing listens (for the connection-refused scenario). */
  closedPort: number;
  close(): Promise<void>;
}

export declare function startLab(options?: StartLabOptions): Promise<RunningLab>;

/** A function's source with its catalogue indentation removed (for display). */
export declare function dedent(source: string): string;
