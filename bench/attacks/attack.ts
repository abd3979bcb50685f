import type { World } from './world.ts';

/** One attack of the security review, run from outside against the running app. */
export interface Attack {
  /** The review's finding. */
  id: string;
  title: string;
  /** `open`: the attack worked. `evidence`: what the server answered, in a line. */
  run(w: World): Promise<{ open: boolean; evidence: string }>;
}
