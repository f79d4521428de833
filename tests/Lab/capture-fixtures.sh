#!/usr/bin/env bash
# Records the lab's miniupnpd answers as the project's fixtures (tests/PSUpnp.Tests/Fixtures/miniupnpd, and its NAT-PMP
# and PCP answers in tests/PSUpnp.Tests/Fixtures/miniupnpd-natpmp-pcp).
# Brings up its own lab (prefix "cap" unless PSUPNP_LAB_PREFIX is set), runs the capture in its lan namespace,
# and always takes that lab down.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export PSUPNP_LAB_PREFIX=${PSUPNP_LAB_PREFIX:-cap}
export PSUPNP_LAB_DIR="$ROOT/tests/Lab"
OUT="$ROOT/tests/PSUpnp.Tests/Fixtures/miniupnpd"
. "$PSUPNP_LAB_DIR/lab.conf"

dotnet build "$ROOT/tests/Lab/PSUpnp.Lab.csproj" -c Release
DLL="$ROOT/tests/Lab/bin/Release/net10.0/PSUpnp.Lab.dll"

bash "$PSUPNP_LAB_DIR/lab.sh" up
trap 'bash "$PSUPNP_LAB_DIR/lab.sh" down' EXIT
ip netns exec "$PSUPNP_LAB_PREFIX-$NS_LAN_SUFFIX" dotnet "$DLL" capture-fixtures "$OUT" --timeout 60
ip netns exec "$PSUPNP_LAB_PREFIX-$NS_LAN_SUFFIX" dotnet "$DLL" capture-port-control-fixtures "$OUT-natpmp-pcp" --timeout 60
