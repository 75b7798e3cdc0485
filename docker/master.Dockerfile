# contiv-master. Built from the repository root:
#   docker build -f docker/master.Dockerfile .
# (docker-compose.yml does this.) .NET 10 ships no Debian images; the tags name Ubuntu 24.04 so that
# the base does not change under us when Microsoft moves the default tag.
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
WORKDIR /src
# The repository has no NuGet.config: restore uses nuget.org, the SDK's default source.
# Project files first, so that the restore layer is reused until a package or a reference changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY Contiv.Collections/Contiv.Collections.csproj Contiv.Collections/
COPY Contiv.Messages/Contiv.Messages.csproj Contiv.Messages/
COPY Contiv.Master/Contiv.Master.csproj Contiv.Master/
RUN dotnet restore Contiv.Master/Contiv.Master.csproj
COPY hocon/ hocon/
COPY Contiv.Collections/ Contiv.Collections/
COPY Contiv.Messages/ Contiv.Messages/
COPY Contiv.Master/ Contiv.Master/
RUN dotnet publish Contiv.Master/Contiv.Master.csproj -c Release --no-restore -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble
# The master needs no privileges. A master run from this image alone keeps its SQLite journal in
# /var/lib/contiv (mount a volume there); docker-compose.yml puts the journal in PostgreSQL instead.
RUN mkdir -p /var/lib/contiv && chown "$APP_UID" /var/lib/contiv
WORKDIR /app
COPY --from=build /app ./
USER $APP_UID
# Inside a container loopback reaches nobody: serve REST on every interface by default. The image's
# ASPNETCORE_HTTP_PORTS (8080) is cleared because the master binds --listen itself; left set, Kestrel
# warns on every start that it overrides it.
ENV CONTIV_MASTER_LISTEN=0.0.0.0:9999 \
    CONTIV_MASTER_DATA_DIR=/var/lib/contiv \
    ASPNETCORE_HTTP_PORTS=
# 9999: REST (the original netmaster port); 4053: the Akka cluster port docker-compose.yml uses.
EXPOSE 9999 4053
ENTRYPOINT ["dotnet", "contiv-master.dll"]
