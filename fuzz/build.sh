#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# fuzz/build.sh DIR: publishes fuzz/BpfFixup.Fuzz to DIR (emptied first) and instruments BpfFixup.Core.dll there
# with the sharpfuzz tool pinned in .config/dotnet-tools.json.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
dir="${1:?usage: fuzz/build.sh DIR}"
rm -rf "$dir"
dotnet publish "$ROOT/fuzz/BpfFixup.Fuzz/BpfFixup.Fuzz.csproj" -c Release -o "$dir" -nologo -v quiet -warnaserror
(cd "$ROOT" && dotnet tool restore >/dev/null && dotnet tool run sharpfuzz "$dir/BpfFixup.Core.dll")
