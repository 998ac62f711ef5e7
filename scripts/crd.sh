#!/usr/bin/env bash
# ./ktp crd — regenerate crds/ from the operator's C# resource types (operator/KtpFleet.Operator.Core/Resources).
set -euo pipefail
KTP_ROOT=${KTP_ROOT:-"$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"}
export KTP_ROOT
# shellcheck source=scripts/bootstrap.sh
source "$KTP_ROOT/scripts/bootstrap.sh"
ktp_ensure_dotnet
proj="$KTP_ROOT/operator/KtpFleet.Operator/KtpFleet.Operator.csproj"
dotnet build "$proj" -c "$KTP_CONFIG" -nologo -clp:ErrorsOnly -v q >/dev/null
exec dotnet "$KTP_ROOT/operator/KtpFleet.Operator/bin/$KTP_CONFIG/net10.0/ktp-operator.dll" crd --out "$KTP_ROOT/crds" "$@"
