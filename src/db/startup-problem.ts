/**
 * Something on this machine keeps the app from starting that a person must fix; its message says
 * what and how, in one line, and start-up prints only that (no stack trace).
 */
export class StartupProblem extends Error {}
