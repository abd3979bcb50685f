import type { AppDeps } from '../platform/deps.ts';
import type { PageContext } from '../platform/router.ts';
import { mailingListFields, subscribeFormView } from './present.ts';
import { preferencesOf } from './service.ts';

/** The profile's mailing-list section: the person's choices, or the form to join. */
export async function mailingListSection(deps: AppDeps, page: PageContext) {
  const preferences = await preferencesOf(deps, page.user!.email);
  const view = await subscribeFormView(deps.db, page.lang, deps.clock.now());
  // The consent box is never ticked for the person: saving records consent anew, with its wording.
  const values = { language: preferences.language ?? page.lang };
  return {
    subscribed: preferences.subscribed,
    ml: mailingListFields(view, values, preferences.interests ?? []),
  };
}
