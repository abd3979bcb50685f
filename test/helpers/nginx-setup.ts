import { nginxBinary } from './cluster.ts';

/** Vitest's global set-up for test/cluster/: nginx is there, or installed now, or the run stops. */
export default function setup(): void {
  nginxBinary();
}
