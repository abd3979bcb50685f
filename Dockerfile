# syntax=docker/dockerfile:1
# Production image: compiled JavaScript, production dependencies only, non-root user.
# It expects DATABASE_URL (the embedded PostgreSQL is for development only).
# Built and checked by `npm run test:image` (scripts/test-image.sh), which passes BASE when
# Docker Hub cannot be reached. Build with `--format docker`: OCI images drop HEALTHCHECK.
# npm ci reads a CA bundle from the optional build secret npm_ca (a TLS-inspecting proxy's);
# a secret mount never lands in a layer.
ARG BASE=node:24-bookworm-slim

FROM ${BASE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npm_ca,required=false \
    NODE_EXTRA_CA_CERTS=/run/secrets/npm_ca npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY migrations migrations
RUN npm run build

FROM ${BASE} AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=dev keeps the lockfile's "devOptional" packages (devDependencies that are also optional
# peers of a production package: typescript for i18next, @types/luxon for ical-generator); no
# production code needs them, so they go too.
RUN --mount=type=secret,id=npm_ca,required=false \
    NODE_EXTRA_CA_CERTS=/run/secrets/npm_ca npm ci --omit=dev --no-audit --no-fund \
    && node -e "const { packages } = require('./package-lock.json'); \
      for (const [path, entry] of Object.entries(packages)) \
        if (entry.devOptional) require('node:fs').rmSync(path, { recursive: true, force: true });" \
    && find node_modules/.bin -xtype l -delete \
    && rm -rf /root/.npm /tmp/node-compile-cache

FROM ${BASE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
# start:prod's options (package.json), measured by bench/production-memory.ts; keep them equal.
ENV NODE_OPTIONS="--max-semi-space-size=16 --max-old-space-size=128"
WORKDIR /app
COPY --from=production-dependencies /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY views views
COPY locales locales
COPY public public
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s \
  CMD node -e "fetch('http://127.0.0.1:3000/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "dist/src/server.js"]
