import { parse } from 'node-html-parser';
import type { Attack } from './attack.ts';
import { errorsOf, type Browser } from './browser.ts';
import type { World } from './world.ts';

const STAFF_PAGE = '/en/admin/departments/esdc/staff';
const REFERENCE = /MA-\d{4}-\d{4}/;
/** The demo's ESDC request on this repository, submitted 6 days before the demo's start. */
const DEMO_REPOSITORY = 'https://github.com/esdc-demo/canada-search-shortcuts';
const DEMO_TITLE = 'Keyboard shortcuts for the Canada.ca search page';

/** A client starts a request; answers its reference. */
async function draftRequest(client: Browser): Promise<string> {
  const form = parse((await client.get('/en/requests/new')).text);
  const department =
    form.querySelector(
      'input[name="department"]:checked, input[type="hidden"][name="department"]',
    ) ?? form.querySelector('input[name="department"]');
  const reply = await client.post('/en/requests/new', {
    department: department?.getAttribute('value') ?? '',
    sourceLanguage: 'en',
  });
  const reference = REFERENCE.exec(reply.location ?? '')?.[0];
  if (!reference) throw new Error(`no request started (${reply.status})`);
  return reference;
}

/** Fills in the five steps of the request form, as a client would. */
async function fillRequest(
  client: Browser,
  reference: string,
  request: { repositoryUrl: string; price: string; costCentre: string },
) {
  const due = new Date(Date.now() + 120 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  const steps: Record<string, string>[] = [
    {
      title: 'Search shortcuts, second part',
      summary: 'The rest of the keyboard shortcuts.',
      description: 'Same page, more shortcuts.',
    },
    { repositoryUrl: request.repositoryUrl, licence: 'MIT', skills: '' },
    { acceptanceCriteria: 'The tests pass.', mandatoryCriteria: 'Two years of TypeScript.' },
    { price: request.price, deliveryDueOn: due, preferredOpensOn: '', preferredClosesOn: '' },
    {
      costCentre: request.costCentre,
      fund: 'A100',
      glAccount: '52110',
      paymentMethod: 'paypal_payout',
    },
  ];
  for (const [i, fields] of steps.entries()) {
    const reply = await client.post(`/en/requests/${reference}/step/${i + 1}`, {
      ...fields,
      then: 'continue',
    });
    if (reply.status !== 303)
      throw new Error(`step ${i + 1} of ${reference} answered ${reply.status}`);
  }
}

/** The user id the department's staff page gives a person, by their email address. */
async function staffId(admin: Browser, email: string): Promise<string> {
  const page = parse((await admin.get(STAFF_PAGE)).text);
  const option = page.querySelectorAll('#grantUser option').find((o) => o.text.includes(email));
  if (!option) throw new Error(`${email} is not on the staff page`);
  return option.getAttribute('value') ?? '';
}

const holdsRole = async (browser: Browser, role: string) =>
  (await browser.get('/en/account')).text.includes(role);

const selfGrant: Attack = {
  id: 'H2',
  title: 'department administrator grants themselves section 32',
  async run(w) {
    const admin = await w.staff('admin@esdc.example.ca');
    const self = await staffId(admin, 'admin@esdc.example.ca');
    const reply = await admin.post(STAFF_PAGE, {
      action: 'grant',
      grantUser: self,
      grantRole: 'section32_manager',
      grantLimit: '10000',
      grantDelegation: 'ESDC delegation matrix 2026, item 4.2',
    });
    const holds = await holdsRole(admin, 'Section 32 manager');
    return {
      open: holds,
      evidence: `grant to oneself ${reply.status}${errorsOf(reply)} ${reply.location ?? ''}; the administrator ${holds ? 'NOW HOLDS section 32' : 'does not hold section 32'}`,
    };
  },
};

const oneAdminGrant: Attack = {
  id: 'H2',
  title: 'one administrator alone gives someone section 32',
  async run(w) {
    const admin = await w.staff('admin@esdc.example.ca');
    const reply = await admin.post(STAFF_PAGE, {
      action: 'grant',
      grantUser: await staffId(admin, 'program@esdc.example.ca'),
      grantRole: 'section32_manager',
      grantLimit: '10000',
      grantDelegation: 'ESDC delegation matrix 2026, item 4.2',
    });
    const holds = await holdsRole(await w.staff('program@esdc.example.ca'), 'Section 32 manager');
    return {
      open: holds,
      evidence: `grant ${reply.status}${errorsOf(reply)} ${reply.location ?? ''}; the program officer ${holds ? 'HOLDS section 32 at once' : 'does not hold it yet (a second administrator must confirm)'}`,
    };
  },
};

const outsideInvitation: Attack = {
  id: 'H2',
  title: 'invitation of an address outside the department’s domains',
  async run(w) {
    const admin = await w.staff('admin@esdc.example.ca');
    const since = w.mailbox.messages.length;
    const reply = await admin.post(STAFF_PAGE, {
      action: 'invite',
      inviteEmail: 'sockpuppet@gmail.example',
      inviteName: 'Sock Puppet',
      inviteLanguage: 'en',
      inviteRole: 'client',
      inviteLimit: '',
    });
    const mail = await w.emailTo('sockpuppet@gmail.example', since, 3_000);
    w.linkIn(mail, '/en/accept-invitation/');
    return {
      open: mail !== undefined,
      evidence: `invite ${reply.status}${errorsOf(reply)} ${reply.location ?? ''}; invitation email ${mail ? 'SENT' : 'not sent'}`,
    };
  },
};

const longAmount: Attack = {
  id: 'M1',
  title: 'a 190 KB amount stalls the whole process',
  async run(w) {
    const { browser: client } = await w.passwordSignIn('client@esdc.example.ca');
    const reference = await draftRequest(client);
    const token = await client.csrf(`/en/requests/${reference}/step/4`);
    const body = new URLSearchParams({
      _csrf: token,
      price: `1${' '.repeat(190_000)}1`,
      deliveryDueOn: '',
      preferredOpensOn: '',
      preferredClosesOn: '',
    }).toString();
    const post = client.request('POST', `/en/requests/${reference}/step/4`, { body });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const health = await w.browser().get('/healthz');
    const reply = await post;
    return {
      open: reply.ms > 1_000 || health.ms > 500,
      evidence: `${Math.round(body.length / 1024)} KB price: ${reply.status} in ${Math.round(reply.ms)} ms; /healthz meanwhile ${health.status} in ${Math.round(health.ms)} ms`,
    };
  },
};

const colleagueReads: Attack = {
  id: 'M6',
  title: 'another client of the department reads a colleague’s draft',
  async run(w) {
    const { browser: owner } = await w.passwordSignIn('client@esdc.example.ca');
    const reference = await draftRequest(owner);
    await owner.post(`/en/requests/${reference}/step/1`, {
      title: 'Secret draft of client 1',
      summary: 'Not submitted yet.',
      description: 'Nobody else should read this.',
      then: 'later',
    });
    const admin = await w.staff('admin@esdc.example.ca');
    const since = w.mailbox.messages.length;
    await admin.post(STAFF_PAGE, {
      action: 'invite',
      inviteEmail: 'client2@esdc.example.ca',
      inviteName: 'Second client',
      inviteLanguage: 'en',
      inviteRole: 'client',
      inviteLimit: '',
    });
    const link = w.linkIn(
      await w.emailTo('client2@esdc.example.ca', since),
      '/en/accept-invitation/',
    );
    if (!link) throw new Error('no invitation reached client2@esdc.example.ca');
    const colleague = w.browser();
    const password = 'second client passphrase';
    await colleague.post(link, { password, passwordConfirmation: password });
    const reader = (await w.isSignedIn(colleague))
      ? colleague
      : (await w.passwordSignIn('client2@esdc.example.ca', password)).browser;
    if (!(await w.isSignedIn(reader))) throw new Error('the second client could not sign in');
    const own = await reader.get('/en/requests');
    const page = await reader.get(`/en/requests/${reference}`);
    const questions = await reader.get(`/en/requests/${reference}/questions`);
    const leaked = page.text.includes('Secret draft of client 1') || questions.status === 200;
    return {
      open: leaked,
      evidence: `second client signed in (own list ${own.status}); reads ${reference}: ${page.status}, its questions: ${questions.status}${leaked ? ' — DRAFT SHOWN' : ''}`,
    };
  },
};

const repositoryVariant: Attack = {
  id: 'L5',
  title: 'contract splitting hidden behind a variant of the repository address',
  async run(w) {
    const { browser: client } = await w.passwordSignIn('client@esdc.example.ca');
    const reference = await draftRequest(client);
    const variant = `${DEMO_REPOSITORY.replace('github.com', 'GitHub.com:443').replace('esdc-demo', '/ESDC-demo')}/tree/main?x=1#a`;
    await fillRequest(client, reference, {
      repositoryUrl: variant,
      price: '6000',
      costCentre: '103410',
    });
    const review = await client.get(`/en/requests/${reference}/review`);
    const seen = review.text.includes(DEMO_TITLE);
    return {
      open: !seen,
      evidence: `${variant} ($6,000, another cost centre): the review ${seen ? 'lists' : 'DOES NOT list'} the $4,200 request on the same repository`,
    };
  },
};

const cacheVariants: Attack = {
  id: 'L7',
  title: 'case and slash variants of a public page fill the page cache',
  async run(w) {
    const variants = [
      '/en/OPPORTUNITIES',
      '/EN/opportunities',
      '/en/Opportunities/',
      '/en/opportunities/',
    ];
    const answers = [];
    for (const path of variants) answers.push(`${path} ${(await w.browser().get(path)).status}`);
    return {
      open: answers.some((a) => a.endsWith(' 200')),
      evidence: answers.join(', '),
    };
  },
};

const platformAdminActs: Attack = {
  id: 'L8',
  title: 'the platform administrator works in a department’s requests',
  async run(w: World) {
    const { browser: client } = await w.passwordSignIn('client@esdc.example.ca');
    const list = await client.get('/en/requests');
    const references = new Set(
      parse(list.text)
        .querySelectorAll('a')
        .map((a) => REFERENCE.exec(a.getAttribute('href') ?? '')?.[0])
        .filter((r): r is string => r !== undefined),
    );
    if (references.size === 0) throw new Error('no request on the client’s list');
    const platform = await w.staff('platform@example.ca');
    const answers: string[] = [];
    for (const reference of references) {
      answers.push(`${reference} ${(await platform.get(`/en/requests/${reference}`)).status}`);
    }
    // The platform administrator administers every department's staff: it invites itself.
    const invite = await platform.post(STAFF_PAGE, {
      action: 'invite',
      inviteEmail: 'platform@example.ca',
      inviteName: '',
      inviteLanguage: 'en',
      inviteRole: 'program_officer',
      inviteLimit: '',
    });
    const holds = await holdsRole(platform, 'Program officer');
    const queue = await platform.get('/en/work-queues');
    const esdcWork = queue.status === 200 && REFERENCE.test(queue.text);
    return {
      open: answers.some((a) => a.endsWith(' 200')) || esdcWork || holds,
      evidence: `the ESDC client's requests: ${answers.join(', ')}; invites itself as ESDC program officer: ${invite.status}${errorsOf(invite)}, ${holds ? 'NOW HOLDS it' : 'does not hold it'}; work queues ${queue.status}${esdcWork ? ' LISTING ESDC WORK' : ''}`,
    };
  },
};

export const departmentAttacks: Attack[] = [
  selfGrant,
  oneAdminGrant,
  outsideInvitation,
  longAmount,
  colleagueReads,
  repositoryVariant,
  cacheVariants,
  platformAdminActs,
];
