import { describe, expect, it } from 'vitest';
import { linkProblem, pullRequestOf } from '../../src/delivery/links.ts';
import {
  problemReportDeadline,
  reviewProblem,
  reviewReminderAt,
} from '../../src/delivery/rules.ts';

const REPO = 'https://github.com/canada-ca/form-validator';

describe('a delivered pull request, read from its address', () => {
  it('reads GitHub pull requests and GitLab merge requests, subgroups included', () => {
    expect(pullRequestOf(`${REPO}/pull/12`)).toEqual({
      host: 'github',
      owner: 'canada-ca',
      repo: 'form-validator',
      number: 12,
    });
    expect(pullRequestOf(`${REPO}/pull/12/files`)).toMatchObject({ number: 12 });
    expect(pullRequestOf('https://gitlab.com/group/sub/project/-/merge_requests/3')).toEqual({
      host: 'gitlab',
      project: 'group/sub/project',
      iid: 3,
    });
  });

  it('is nothing for any other address', () => {
    for (const address of [
      `${REPO}/commit/abc`,
      `${REPO}/pull/`,
      `${REPO}/pull/12345678901`,
      `${REPO}/pulls/12`,
      'https://gitlab.com/project/-/merge_requests/3',
      'https://gitlab.com/group/project/merge_requests/3',
      'https://example.com/canada-ca/form-validator/pull/1',
      `${REPO}/pull/1%2F..`,
      'not a url',
    ]) {
      expect(pullRequestOf(address), address).toBeUndefined();
    }
  });
});

describe('a delivered link', () => {
  it('must be a plain https address on GitHub or GitLab', () => {
    for (const address of [
      'http://github.com/canada-ca/form-validator/pull/1',
      'github.com/canada-ca/form-validator/pull/1',
      'https://github.com/canada-ca/form-validator/../x/pull/1',
      `https://github.com/canada-ca/${'x'.repeat(500)}`,
      'https://github.com',
    ]) {
      expect(linkProblem('commit', address, REPO), address).toBe('link');
    }
  });

  it('must be on the repository’s host, and a pull request where one is asked for', () => {
    expect(
      linkProblem('commit', 'https://gitlab.com/canada-ca/form-validator/-/commit/a', REPO),
    ).toBe('host');
    expect(linkProblem('pull_request', `${REPO}/commit/abc`, REPO)).toBe('pullRequest');
    expect(linkProblem('pull_request', `${REPO}/pull/3`, REPO)).toBeUndefined();
    expect(linkProblem('release', `${REPO}/releases/tag/v1.0.0`, REPO)).toBeUndefined();
  });
});

describe('the 15 days to report a problem', () => {
  it('count Eastern calendar days from the day of delivery', () => {
    // 23:30 Eastern on November 30 is already December 1 in UTC: still the 30th's delivery.
    expect(problemReportDeadline(new Date('2026-12-01T04:30:00Z'))).toBe('2026-12-15');
    expect(problemReportDeadline(new Date('2026-12-20T15:00:00Z'))).toBe('2027-01-04');
    // Across the change to daylight time.
    expect(problemReportDeadline(new Date('2027-03-01T15:00:00Z'))).toBe('2027-03-16');
  });

  it('remind the client at 9 a.m. Eastern, three days before the last day', () => {
    expect(reviewReminderAt(new Date('2026-12-01T04:30:00Z')).toISOString()).toBe(
      '2026-12-12T14:00:00.000Z',
    );
    expect(reviewReminderAt(new Date('2027-03-01T15:00:00Z')).toISOString()).toBe(
      '2027-03-13T14:00:00.000Z',
    );
  });
});

describe('a review', () => {
  const met = { met: true };
  const unmet = { met: false };
  it('judges every criterion, accepts only when all are met, asks for something when revising', () => {
    expect(reviewProblem('accept', [met], 2, '')).toBe('delivery_not_judged');
    expect(reviewProblem('accept', [met, unmet], 2, '')).toBe('delivery_unmet');
    expect(reviewProblem('accept', [met, met], 2, '')).toBeUndefined();
    expect(reviewProblem('revisions', [met, met], 2, ' ')).toBe('delivery_nothing_missing');
    expect(reviewProblem('revisions', [met, met], 2, 'Update the README.')).toBeUndefined();
    expect(reviewProblem('revisions', [met, unmet], 2, '')).toBeUndefined();
  });
});
