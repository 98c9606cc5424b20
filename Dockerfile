# syntax=docker/dockerfile:1
# Bifrost container: the self-contained single-file binary (scripts/publish.sh) on runtime-deps.
#   docker build --build-arg SOURCE_REVISION=$(git rev-parse HEAD) -t bifrost .
#   docker run --read-only --tmpfs /tmp -v bifrost-data:/data -p 8080:8080 bifrost
# Runs as the image's non-root `app` user; the only writable paths it needs are /tmp (native libraries
# extracted from the single file, diagnostics sockets) and /data (embedded SQLite when no DATABASE_URL).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG SOURCE_REVISION=""
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props Bifrost.slnx ./
COPY src/ src/
COPY scripts/publish.sh scripts/publish.sh
RUN SOURCE_REVISION="$SOURCE_REVISION" bash scripts/publish.sh --no-tool

FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 AS runtime
WORKDIR /data
COPY --from=build /src/artifacts/publish/linux-x64/ /app/
ENV ASPNETCORE_URLS=http://+:8080 \
    DOTNET_BUNDLE_EXTRACT_BASE_DIR=/tmp/.net \
    DOTNET_gcServer=0 \
    TMPDIR=/tmp
VOLUME ["/data"]
# 8080: HTTP (REST, WebSocket, dashboard, /metrics, /health); 8081: gRPC over cleartext HTTP/2 (api.grpc_port).
EXPOSE 8080 8081
USER $APP_UID
HEALTHCHECK --interval=30s --timeout=6s --start-period=20s --retries=3 \
  CMD ["/app/bifrost", "probe", "http://127.0.0.1:8080/health/live"]
ENTRYPOINT ["/app/bifrost"]
CMD ["serve"]
