# syntax=docker/dockerfile:1
# One image recipe for all four Clarion services; the SERVICE build arg picks
# which one the container runs:
#   docker build --build-arg SERVICE=alerts -t clarion/alerts .
# docker-compose.yml builds gateway, alerts, subscriptions and delivery from it.

# ---- build: install everything, compile TypeScript, then drop dev dependencies
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY libs ./libs
COPY apps ./apps
# scripts/nats-config.ts: docker-compose's bus-keys service runs it from this image.
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev

# ---- runtime: compiled code and production dependencies only, as a non-root user
FROM node:20-bookworm-slim AS runtime
ARG SERVICE
ENV NODE_ENV=production \
    SERVICE=${SERVICE} \
    HTTP_HOST=0.0.0.0
WORKDIR /app
# Files stay owned by root: the node user can read and run them, not change them.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Fail the build, not the first start, when SERVICE is missing or names no service.
RUN test -n "${SERVICE}" && test -f "dist/apps/${SERVICE}/src/main.js" \
    || { echo "build arg SERVICE must be one of: gateway alerts subscriptions delivery (got '${SERVICE}')" >&2; exit 1; }
USER node
# Every service serves /health/live on HTTP_PORT; without HTTP_PORT it listens on its schema default.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "-e", "const d={gateway:3000,alerts:3101,subscriptions:3102,delivery:3103};const p=process.env.HTTP_PORT||d[process.env.SERVICE];fetch('http://127.0.0.1:'+p+'/health/live',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# exec replaces the shell, so SIGTERM from `docker stop` reaches node and the service drains cleanly.
CMD ["sh", "-c", "exec node dist/apps/${SERVICE}/src/main.js"]
