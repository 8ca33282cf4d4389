/**
 * Waits for one task run of `run_task` / `run_tests` and decides what becomes of the task:
 * - `ended`: it exited (with its exit code when it is a process) or its custom execution ended.
 * - `cancelled`: the model withdrew the call (toolCallCancellation) or the session ended.
 *   Nobody will hear the result, so the task is terminated, also when it was still starting.
 * - `stillRunning`: the time limit passed. The task is not stopped (a long test run the user may
 *   be watching goes on in its terminal); the model is told it is still running.
 * Pure: the task system and the clock come in as ports (knowledgeTools.ts passes VS Code's).
 */
import type { Clock } from '../../../common/clock';
import type { Disposable } from '../../../common/disposable';
import type { Event } from '../../../common/event';

export type TaskRunEnd = { kind: 'ended'; exitCode: number | undefined } | { kind: 'stillRunning' } | { kind: 'cancelled' };

/** The call's cancel signal (toolCallCoordinator.ts `CancelSignal`). */
export interface TaskRunSignal {
  readonly cancelled: boolean;
  readonly onCancel: Event<void>;
}

export interface TaskRunPorts {
  /** Starts the task; resolves to its execution, which can be terminated. */
  start(): Promise<{ terminate(): void }>;
  /** The task ended, with its exit code when known. Subscribed before the start, so a quick end is not missed. */
  onEnd(listener: (exitCode: number | undefined) => void): Disposable;
  clock: Clock;
  /** How long to wait for the end before answering "still running". */
  limitMs: number;
}

export async function awaitTaskRun(ports: TaskRunPorts, signal: TaskRunSignal): Promise<TaskRunEnd> {
  if (signal.cancelled) return { kind: 'cancelled' }; // withdrawn before anything started
  let end: TaskRunEnd | undefined;
  let execution: { terminate(): void } | undefined;
  let settle: (end: TaskRunEnd) => void = () => undefined;
  const ended = new Promise<TaskRunEnd>((resolve) => (settle = resolve));
  const finish = (e: TaskRunEnd) => {
    if (end) return;
    end = e;
    if (e.kind === 'cancelled') execution?.terminate();
    settle(e);
  };
  const subs: Disposable[] = [
    ports.onEnd((exitCode) => finish({ kind: 'ended', exitCode })),
    signal.onCancel(() => finish({ kind: 'cancelled' })),
    ports.clock.setTimeout(() => finish({ kind: 'stillRunning' }), ports.limitMs),
  ];
  try {
    execution = await ports.start();
    // Withdrawn while the task was starting: stop it now that there is an execution to stop.
    if (end?.kind === 'cancelled') execution.terminate();
    return await ended;
  } finally {
    for (const s of subs) s.dispose();
  }
}
