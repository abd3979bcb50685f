import { isPublicRepositoryUrl } from '../requests/rules.ts';

/** What a delivered link points to: the work for review, its commits, a release of it. */
export const linkKinds = ['pull_request', 'commit', 'release'] as const;
export type LinkKind = (typeof linkKinds)[number];

/** At most this many links of each kind in one delivery, and this long each. */
export const MAX_LINKS_PER_KIND = 10;
export const MAX_LINK_LENGTH = 500;

/** A pull request (GitHub) or merge request (GitLab) read from its address. */
export type PullRequest =
  | { host: 'github'; owner: string; repo: string; number: number }
  | { host: 'gitlab'; project: string; iid: number };

const SEGMENT = /^[\w.-]+$/;
const NUMBER = /^\d{1,9}$/;

/**
 * The pull request an address names: `https://github.com/{owner}/{repo}/pull/{n}` or
 * `https://gitlab.com/{group}/{…}/{project}/-/merge_requests/{iid}` (anything after the number,
 * such as `/files`, is a view of the same one). Undefined for any other address.
 */
export function pullRequestOf(address: string): PullRequest | undefined {
  let parsed: URL;
  try {
    parsed = new URL(address);
  } catch {
    return undefined;
  }
  const segments = parsed.pathname.split('/').filter(Boolean);
  if (!segments.every((s) => SEGMENT.test(s))) return undefined;
  const host = parsed.hostname.toLowerCase();
  if (host === 'github.com') {
    const [owner, repo, pull, n] = segments;
    if (!owner || !repo || pull !== 'pull' || !n || !NUMBER.test(n)) return undefined;
    return { host: 'github', owner, repo, number: Number(n) };
  }
  if (host === 'gitlab.com') {
    const dash = segments.indexOf('-');
    const [merge, n] = segments.slice(dash + 1);
    if (dash < 2 || merge !== 'merge_requests' || !n || !NUMBER.test(n)) return undefined;
    return { host: 'gitlab', project: segments.slice(0, dash).join('/'), iid: Number(n) };
  }
  return undefined;
}

/** Why one delivered link is refused, as a locale key under `delivery.errors`; undefined if fine. */
export function linkProblem(
  kind: LinkKind,
  address: string,
  repositoryUrl: string,
): 'link' | 'host' | 'pullRequest' | undefined {
  if (address.length > MAX_LINK_LENGTH || !isPublicRepositoryUrl(address)) return 'link';
  if (new URL(address).hostname.toLowerCase() !== new URL(repositoryUrl).hostname.toLowerCase()) {
    return 'host';
  }
  if (kind === 'pull_request' && !pullRequestOf(address)) return 'pullRequest';
  return undefined;
}
