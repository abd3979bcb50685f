import { Strategy as LocalStrategy } from 'passport-local';
import type { AppDeps } from '../../platform/deps.ts';
import { signIn, type SignInRefusal } from '../service.ts';

export const PASSWORD_STRATEGY = 'password';

/** Email address and password: the strategy's user is the account, its refusal says why not. */
export function passwordStrategy(deps: AppDeps): LocalStrategy {
  return new LocalStrategy({ usernameField: 'email' }, (email, password, done) => {
    signIn(deps, { email, password }).then((result) => {
      if (result.ok) return done(null, result.user);
      const refusal: SignInRefusal =
        result.reason === 'tooSoon'
          ? { reason: result.reason, waitSeconds: result.waitSeconds }
          : { reason: result.reason };
      done(null, false, { message: refusal.reason, ...refusal });
    }, done);
  });
}

/** Why the strategy refused, whatever it was given (passport-local also refuses empty fields). */
export const refusalOf = (info: unknown): SignInRefusal =>
  info && typeof info === 'object' && 'reason' in info
    ? (info as SignInRefusal)
    : { reason: 'invalid' };
