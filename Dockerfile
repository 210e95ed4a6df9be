# syntax=docker/dockerfile:1
# Cluster DJ: multi-stage build. The first stage compiles better-sqlite3 (it needs a toolchain);
# the second compiles the TypeScript into dist/ (scripts/build.mjs); the runtime stage has only
# Node, the production dependencies, the compiled program and the migrations, runs as the
# unprivileged "node" user, and keeps the SQLite database on a volume.

FROM node:26-trixie-slim AS dependencies
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

FROM dependencies AS build
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY bot ./bot
COPY commands ./commands
COPY db ./db
RUN node scripts/build.mjs

FROM node:26-trixie-slim AS runtime
WORKDIR /app
# Health and metrics listen on the container's loopback only (the HEALTHCHECK below reaches them
# there); to scrape them from outside, set HEALTH_HOST=0.0.0.0 and publish the port deliberately,
# as docker-compose.yml does (on the host's 127.0.0.1 only).
ENV NODE_ENV=production \
    DATABASE_PATH=/data/cluster-dj.db \
    HEALTH_PORT=8080
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY scripts ./scripts
COPY --from=build /app/dist ./dist
COPY db/migrations ./db/migrations
# tini is PID 1: it reaps zombies and forwards signals, and node runs as its child with a PID of its
# own, so after a crash and restart the dead process's job locks are recognised as dead.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD node -e "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# tini passes `docker stop`'s SIGTERM to node (no shell in between), which shuts down gracefully.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--enable-source-maps", "dist/bot/main.js"]
