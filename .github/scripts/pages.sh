#!/usr/bin/env bash
# Everything the workflows do to the GitHub Pages branch (gh-pages), in one tested script.
#
#   pages.sh url [PR]                 print the site's base URL, or PR's preview URL
#   pages.sh publish-root SITE        the main site at the branch root; pr-preview/ is kept
#   pages.sh check-preview SITE       may SITE be a preview? (content and size; see below)
#   pages.sh publish-preview PR SITE  SITE becomes pr-preview/pr-PR/
#   pages.sh remove-previews PR...    delete those previews
#   pages.sh prune-previews [OPEN...] delete every preview whose PR is not in OPEN
#
# Model: GitHub Pages serves the gh-pages branch ("Deploy from a branch"). The main site lives
# at the root, previews under pr-preview/pr-N/. Every command fetches the branch, changes only
# its own paths, commits and pushes; when another workflow pushed in between, it fetches again
# and redoes its change (up to 8 times), so the three workflows never undo each other.
#
# Environment:
#   GITHUB_REPOSITORY  owner/name (set by GitHub Actions)
#   GH_TOKEN           token with contents: write (never stored in .git/config)
#   PAGES_URL          base URL when it is not https://OWNER.github.io/NAME/ (custom domain);
#                      without it, the first line of .github/pages-url is used when that exists
#   PAGES_BRANCH       default gh-pages
#   PAGES_REMOTE       default https://github.com/$GITHUB_REPOSITORY.git (tests use a local repo)
#   PREVIEW_MAX_BYTES  largest preview accepted, in bytes (default 50 MiB; the guide is ~7 MB)
#   PREVIEW_MAX_FILES  most files and folders in a preview (default 2,000; the guide has ~130)
#
#   pages.sh check-preview SITE       exit 0 when SITE may be published as a preview; else
#                                     exit 3 (too big) or 4 (refused content), reason on stderr
#
# SITE is data from a build: it may only hold regular files and folders (no symlinks, devices,
# nor any name starting with .git: git itself reads .gitattributes, .gitmodules, .gitignore),
# and nothing in it is ever executed.
#
# git here never runs a filter or a conversion, whatever the machine or the branch says: no
# system or global config (GIT_CONFIG_NOSYSTEM, GIT_CONFIG_GLOBAL), no system attributes, and
# .git/info/attributes unsets filter/text/eol/ident/encoding for every path. So a runner image
# with git-lfs installed system-wide (filter.lfs.required=true) cannot be made to fail every
# checkout of gh-pages by a .gitattributes on the branch, and every command removes any .git*
# name it finds on the branch. The token reaches git through its environment (GIT_CONFIG_*),
# never its command line, which every user of the machine can read in the process list.
set -euo pipefail

BRANCH="${PAGES_BRANCH:-gh-pages}"
MAX_TRIES=8
MAX_BYTES="${PREVIEW_MAX_BYTES:-52428800}"
MAX_FILES="${PREVIEW_MAX_FILES:-2000}"

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_ATTR_NOSYSTEM=1
unset GIT_CONFIG_COUNT GIT_CONFIG_PARAMETERS

die() { echo "pages.sh: $*" >&2; exit 1; }
too_big() { echo "pages.sh: $*" >&2; exit 3; }
refuse() { echo "pages.sh: $*" >&2; exit 4; }

check_pr() {
  [[ "$1" =~ ^[1-9][0-9]{0,9}$ ]] || die "not a pull request number: '$1'"
}

base_url() {
  local file
  file="$(dirname "${BASH_SOURCE[0]}")/../pages-url"
  if [[ -z "${PAGES_URL:-}" && -f "$file" ]]; then
    PAGES_URL="$(head -n 1 "$file" | tr -d '[:space:]')"
  fi
  if [[ -n "${PAGES_URL:-}" ]]; then
    [[ "$PAGES_URL" =~ ^https://[A-Za-z0-9.-]+(/[A-Za-z0-9._~/-]*)?$ ]] || die "PAGES_URL is not a plain https URL"
    local url="$PAGES_URL"
    [[ "$url" == */ ]] || url="$url/"
    printf '%s\n' "$url"
    return
  fi
  [[ "${GITHUB_REPOSITORY:-}" =~ ^([A-Za-z0-9-]+)/([A-Za-z0-9._-]+)$ ]] || die "GITHUB_REPOSITORY is not owner/name"
  local owner="${BASH_REMATCH[1],,}" name="${BASH_REMATCH[2]}"
  if [[ "${name,,}" == "$owner.github.io" ]]; then
    printf 'https://%s.github.io/\n' "$owner"         # a user or organisation site
  else
    printf 'https://%s.github.io/%s/\n' "$owner" "$name"  # a project site
  fi
}

check_site() {
  local site="$1"
  [[ -d "$site" && ! -L "$site" ]] || die "$site: not a folder"
  [[ -f "$site/index.html" ]] || die "$site: no index.html (was the site built?)"
  local odd
  odd="$(find "$site" -mindepth 1 \( ! -type f ! -type d \) -print -quit)"
  [[ -z "$odd" ]] || refuse "$odd: not a regular file or folder (symlinks and devices are refused)"
  odd="$(find "$site" -mindepth 1 -iname '.git*' -print -quit)"
  [[ -z "$odd" ]] || refuse "$odd: names starting with .git are refused (git reads .git, .gitattributes, .gitmodules)"
}

check_size() {  # the preview cap: bytes of all files, and files plus folders
  local site="$1" bytes entries
  read -r bytes entries < <(find "$site" -mindepth 1 \( -type f -printf '%s\n' -o -printf '0\n' \) \
    | awk '{ b += $1; n += 1 } END { printf "%d %d\n", b, n }')
  if (( bytes > MAX_BYTES || entries > MAX_FILES )); then
    too_big "$site: $bytes bytes in $entries files and folders; a preview may have at most $MAX_BYTES bytes and $MAX_FILES files and folders"
  fi
}

git_() {  # git in $WORK; with GH_TOKEN, authenticated through the environment only
  if [[ -n "${GH_TOKEN:-}" ]]; then
    local auth
    auth="$(printf 'x-access-token:%s' "$GH_TOKEN" | base64 | tr -d '\n')"
    GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0="http.https://github.com/.extraheader" \
      GIT_CONFIG_VALUE_0="AUTHORIZATION: basic $auth" git -C "$WORK" "$@"
  else
    git -C "$WORK" "$@"
  fi
}

checkout_branch() {
  rm -rf "$WORK"
  git init -q "$WORK"
  # No filter, conversion or symlink from the branch's own files, whatever they say.
  mkdir -p "$WORK/.git/info"
  printf '* -filter -text -eol -ident -working-tree-encoding\n' > "$WORK/.git/info/attributes"
  git -C "$WORK" config core.autocrlf false
  git -C "$WORK" config core.symlinks false
  git -C "$WORK" remote add origin "${PAGES_REMOTE:-https://github.com/${GITHUB_REPOSITORY}.git}"
  git -C "$WORK" config user.name "github-actions[bot]"
  git -C "$WORK" config user.email "41898282+github-actions[bot]@users.noreply.github.com"
  if git_ ls-remote --exit-code --heads origin "$BRANCH" >/dev/null 2>&1; then
    git_ fetch -q --depth 1 origin "$BRANCH"
    git -C "$WORK" checkout -q -B "$BRANCH" FETCH_HEAD
  else
    git -C "$WORK" checkout -q --orphan "$BRANCH"
  fi
  # Repair a branch that already holds .git* names (from before they were refused).
  find "$WORK" -mindepth 1 -path "$WORK/.git" -prune -o -iname '.git*' -print0 \
    | while IFS= read -r -d '' odd; do
        echo "pages.sh: removing ${odd#"$WORK"/} from $BRANCH" >&2
        rm -rf "$odd"
      done
  touch "$WORK/.nojekyll"  # serve folders that start with _ as they are
}

# Run "$@" (a change to $WORK) on a fresh copy of the branch, commit with MESSAGE and push;
# redo it from scratch when the push loses a race with another workflow.
commit_change() {
  local message="$1"; shift
  local try
  for ((try = 1; try <= MAX_TRIES; try++)); do
    checkout_branch
    "$@"
    git -C "$WORK" add -A
    if git -C "$WORK" diff --cached --quiet; then
      echo "pages.sh: $BRANCH already up to date"
      return 0
    fi
    git -C "$WORK" commit -q -m "$message"
    if git_ push -q origin "HEAD:refs/heads/$BRANCH"; then
      echo "pages.sh: pushed '$message' to $BRANCH"
      return 0
    fi
    echo "pages.sh: push rejected (attempt $try of $MAX_TRIES); fetching again" >&2
    sleep $((RANDOM % (try * 2) + 1))  # random back-off, so racing jobs spread out
  done
  die "could not push to $BRANCH after $MAX_TRIES attempts"
}

copy_tree() {  # copy_tree SRC DEST: contents of SRC into DEST (no symlinks: checked before)
  mkdir -p "$2"
  cp -R "$1/." "$2/"
}

apply_root() {
  find "$WORK" -mindepth 1 -maxdepth 1 ! -name .git ! -name pr-preview ! -name .nojekyll -exec rm -rf {} +
  local entry
  for entry in "$SITE"/* "$SITE"/.[!.]*; do
    [[ -e "$entry" ]] || continue
    case "$(basename "$entry")" in pr-preview|.git|.nojekyll) continue ;; esac
    cp -R "$entry" "$WORK/"
  done
}

apply_preview() {
  rm -rf "$WORK/pr-preview/pr-$PR"
  copy_tree "$SITE" "$WORK/pr-preview/pr-$PR"
}

apply_remove() {
  local n
  for n in "$@"; do rm -rf "$WORK/pr-preview/pr-$n"; done
}

apply_prune() {
  local dir n keep
  [[ -d "$WORK/pr-preview" ]] || return 0
  for dir in "$WORK"/pr-preview/*; do
    [[ -e "$dir" ]] || continue
    n="$(basename "$dir")"; n="${n#pr-}"
    keep=0
    for open in "$@"; do [[ "$open" == "$n" ]] && keep=1; done
    if [[ $keep == 0 ]]; then
      echo "pages.sh: removing $(basename "$dir") (pull request not open)"
      rm -rf "$dir"
    fi
  done
}

cmd="${1:-}"; shift || true
WORK="$(mktemp -d)/pages"
trap 'rm -rf "$(dirname "$WORK")"' EXIT

case "$cmd" in
  url)
    if [[ $# -ge 1 ]]; then check_pr "$1"; printf '%spr-preview/pr-%s/\n' "$(base_url)" "$1"
    else base_url; fi
    ;;
  publish-root)
    [[ $# -eq 1 ]] || die "usage: publish-root SITE"
    SITE="$1"; check_site "$SITE"
    commit_change "Publish ${GITHUB_SHA:-site}" apply_root
    ;;
  check-preview)
    [[ $# -eq 1 ]] || die "usage: check-preview SITE"
    check_site "$1"; check_size "$1"
    ;;
  publish-preview)
    [[ $# -eq 2 ]] || die "usage: publish-preview PR SITE"
    PR="$1"; SITE="$2"; check_pr "$PR"; check_site "$SITE"; check_size "$SITE"
    commit_change "Preview of pull request #$PR" apply_preview
    ;;
  remove-previews)
    [[ $# -ge 1 ]] || die "usage: remove-previews PR..."
    for n in "$@"; do check_pr "$n"; done
    commit_change "Remove preview of pull request(s) $*" apply_remove "$@"
    ;;
  prune-previews)
    for n in "$@"; do check_pr "$n"; done
    commit_change "Remove previews of closed pull requests" apply_prune "$@"
    ;;
  *)
    die "usage: pages.sh url [PR] | publish-root SITE | check-preview SITE | publish-preview PR SITE | remove-previews PR... | prune-previews [OPEN...]"
    ;;
esac
