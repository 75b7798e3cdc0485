# contiv-agent with its own Open vSwitch. Built from the repository root:
#   docker build -f docker/agent.Dockerfile .
# (docker-compose.yml does this.) Same base as the master's: .NET 10 ships no Debian images.
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
WORKDIR /src
# The repository has no NuGet.config: restore uses nuget.org, the SDK's default source.
# Project files first, so that the restore layer is reused until a package or a reference changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY Contiv.Collections/Contiv.Collections.csproj Contiv.Collections/
COPY Contiv.Messages/Contiv.Messages.csproj Contiv.Messages/
COPY Contiv.Dataplane.Ovs/Contiv.Dataplane.Ovs.csproj Contiv.Dataplane.Ovs/
COPY Contiv.HostAgent/Contiv.HostAgent.csproj Contiv.HostAgent/
RUN dotnet restore Contiv.HostAgent/Contiv.HostAgent.csproj
COPY hocon/ hocon/
COPY Contiv.Collections/ Contiv.Collections/
COPY Contiv.Messages/ Contiv.Messages/
COPY Contiv.Dataplane.Ovs/ Contiv.Dataplane.Ovs/
COPY Contiv.HostAgent/ Contiv.HostAgent/
RUN dotnet publish Contiv.HostAgent/Contiv.HostAgent.csproj -c Release --no-restore -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble
# Package scripts must not start OVS while the image is built (there is no kernel module or init
# to run it under); the entrypoint starts it when the container runs.
RUN printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
# openvswitch-switch: ovsdb-server, ovs-vswitchd and ovs-ctl. The plumbing of every endpoint runs
# ip, ethtool and nsenter (util-linux).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      openvswitch-switch iproute2 ethtool util-linux \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
COPY docker/agent-entrypoint.sh /usr/local/bin/contiv-agent-entrypoint
RUN chmod 755 /usr/local/bin/contiv-agent-entrypoint
# Runs as root: it owns an OVS bridge, makes veth pairs and enters containers' network namespaces.
# The agent binds its unix socket itself; the image's ASPNETCORE_HTTP_PORTS (8080) would only make
# Kestrel warn that it is overridden.
ENV ASPNETCORE_HTTP_PORTS=
# The Akka cluster port only: the local API is a unix socket under /run/contiv.
EXPOSE 4053
VOLUME /run/contiv
ENTRYPOINT ["/usr/local/bin/contiv-agent-entrypoint"]
