#!/usr/bin/env bash
# check-tracked-files.sh fails when the repository tracks a build output:
# a binary executable (ELF, Mach-O or PE magic, or the exec bit on a file
# that is not a "#!" script), or a file larger than 1 MB outside a
# testdata/ directory. It takes the list and the modes from the index and
# reads the files in the work tree (the same on a fresh clone); .ci/run
# calls it.
#
# Usage: scripts/check-tracked-files.sh [REPO_DIR]   (default: this repository)
#   MAXSIZE=1048576  the size limit in bytes
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
maxsize=${MAXSIZE:-1048576}
bad=0

# magic prints the first four bytes of a file as hex.
magic() { od -An -tx1 -N4 -- "$1" | tr -d ' \n'; }

while IFS=$'\t' read -r meta path; do
	mode=${meta%% *}
	[ "$mode" = 160000 ] && continue # a submodule: not a file
	[ -f "$path" ] || continue # deleted in the work tree, not yet committed
	size=$(stat -c %s -- "$path")
	m=$(magic "$path")
	case "$m" in
	7f454c46) echo "tracked binary executable (ELF): $path"; bad=1; continue ;;
	feedface | feedfacf | cefaedfe | cffaedfe | cafebabe) echo "tracked binary executable (Mach-O): $path"; bad=1; continue ;;
	4d5a*) echo "tracked binary executable (PE): $path"; bad=1; continue ;;
	esac
	if [ "$mode" = 100755 ] && [ "${m:0:4}" != 2321 ]; then
		echo "executable bit on a file that is not a script: $path"; bad=1
	fi
	case "/$path" in
	*/testdata/*) ;;
	*) if [ "$size" -gt "$maxsize" ]; then
		echo "tracked file larger than $maxsize bytes outside testdata/: $path ($size bytes)"; bad=1
	fi ;;
	esac
done < <(git -c core.quotepath=false ls-files -s)

if [ "$bad" -ne 0 ]; then
	echo "remove build outputs with 'git rm --cached FILE' and list them in .gitignore"
	exit 1
fi
echo "tracked files: no binary executable, nothing over $maxsize bytes outside testdata/"
