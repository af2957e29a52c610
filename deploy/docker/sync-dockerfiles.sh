#!/usr/bin/env bash
# Write services/<svc>/Dockerfile from the one pattern, deploy/docker/Dockerfile, with the build
# arguments (PACKAGE, MODULE, PORT) fixed. Dockerfiles cannot include each other, so the services'
# files are generated copies: edit the pattern, then run this script.
#
#   deploy/docker/sync-dockerfiles.sh           rewrite the five files
#   deploy/docker/sync-dockerfiles.sh --check   exit 1 if one of them differs from the pattern
#
# The gateway is not listed: gateway/Dockerfile is its own; docker-compose.yml builds the gateway
# from the pattern with build arguments.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PATTERN="$ROOT/deploy/docker/Dockerfile"

# directory:distribution:module:port
SERVICES=(
  "customers:crm-customers:crm_customers:8101"
  "interactions:crm-interactions:crm_interactions:8102"
  "assignment:crm-assignment:crm_assignment:8103"
  "compensation:crm-compensation:crm_compensation:8104"
  "import:crm-import:crm_import:8105"
)

render() {  # dir package module port
  local dir="$1" package="$2" module="$3" port="$4"
  # line 1 of the pattern is the `# syntax=` directive and must stay first; the pattern's own
  # header comment (up to the first blank line) is replaced by this service's header; the
  # global ARG lines before the first FROM get their defaults.
  awk -v dir="$dir" -v package="$package" -v module="$module" -v port="$port" '
    NR == 1 { print; next }
    !body && /^#/ { next }
    !body {
      body = 1
      print "#"
      printf "# %s: python -m %s, port %s. Build from the repository root:\n", package, module, port
      printf "#\n#   docker build -f services/%s/Dockerfile -t %s .\n#\n", dir, package
      print "# GENERATED from deploy/docker/Dockerfile by deploy/docker/sync-dockerfiles.sh: edit the"
      print "# pattern, not this copy. See deploy/docker/README.md."
    }
    !seen_from && $0 == "ARG PACKAGE" { print "ARG PACKAGE=" package; next }
    !seen_from && $0 == "ARG MODULE"  { print "ARG MODULE=" module; next }
    !seen_from && /^ARG PORT=/        { print "ARG PORT=" port; next }
    /^FROM / { seen_from = 1 }
    { print }
  ' "$PATTERN"
}

check=0
[[ "${1:-}" == --check ]] && check=1
status=0
for entry in "${SERVICES[@]}"; do
  IFS=: read -r dir package module port <<<"$entry"
  target="$ROOT/services/$dir/Dockerfile"
  if ((check)); then
    if ! diff -u "$target" <(render "$dir" "$package" "$module" "$port") >/dev/null 2>&1; then
      echo "services/$dir/Dockerfile differs from deploy/docker/Dockerfile: run $0" >&2
      status=1
    fi
  else
    render "$dir" "$package" "$module" "$port" >"$target"
    echo "wrote services/$dir/Dockerfile"
  fi
done
exit "$status"
