# The necrocode-runner image for Docker mode (docs/docker.md), built from the published host.
#
#   dotnet publish src/NecroCode.AgentRunner.Cli -c Release -r linux-x64 --self-contained -p:PublishReadyToRun=true -o artifacts/docker/publish
#   docker build -t necrocode-runner:latest .
#
# The host runs `necrocode-runner run --task /necrocode/job/task.json --output jsonl` in it; the job folder
# (/necrocode/job, read-write) and the secrets folder (/necrocode/secrets, read-only) are mounted per run.
# Add the tools your agent and your tests need (compilers, the agent's CLI) in a derived image.
FROM debian:bookworm-slim

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends git ca-certificates util-linux libicu72 openssh-client \
 && rm -rf /var/lib/apt/lists/*

ARG PUBLISH_DIR=artifacts/docker/publish
COPY ${PUBLISH_DIR}/ /opt/necrocode/
RUN ln -s /opt/necrocode/necrocode-runner /usr/local/bin/necrocode-runner \
 && groupadd --gid 1000 runner && useradd --uid 1000 --gid 1000 --home-dir /tmp --no-create-home runner \
 && mkdir -p /necrocode/job /necrocode/secrets

# HOME on the tmpfs Docker mode mounts at /tmp, so that a read-only root file system works.
ENV HOME=/tmp DOTNET_CLI_TELEMETRY_OPTOUT=1
# The job folder is created by the host; run as the uid that owns it (NecroCode:Docker:User overrides).
USER 1000:1000
WORKDIR /necrocode/job
ENTRYPOINT ["necrocode-runner"]
CMD ["--help"]
