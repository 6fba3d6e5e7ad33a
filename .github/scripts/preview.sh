#!/usr/bin/env bash
# The trusted half of the PR preview (runs in .github/workflows/preview.yml, from the default
# branch, never from the pull request).
#
#   preview.sh decide ARTIFACT_DIR     print `number=N` and `action=deploy|remove|skip` lines
#                                      (for $GITHUB_OUTPUT)
#   preview.sh comment PR BODY_FILE    create or update the one comment that starts with the
#                                      marker <!-- kfguide-preview -->
#   preview.sh removed-comment PR      update that comment (if any) to say the preview is gone
#
# Everything in ARTIFACT_DIR was written by the pull request's own build and is untrusted:
# the PR number is read as at most 16 bytes, must be digits, must match the run's PR when
# GitHub names one, and must belong to a pull request whose head is the commit that was built
# (github.event.workflow_run.head_sha). So a fork cannot publish over another PR's preview, and
# a late run of an old commit does not replace a newer preview.
#
# Environment: GITHUB_REPOSITORY, GH_TOKEN (for `gh api`), and for `decide`: HEAD_SHA (the
# run's head commit) and RUN_PR (github.event.workflow_run.pull_requests[0].number: set for
# pull requests from this repository, empty for forks). Needs bash, git and gh (no jq).
set -euo pipefail

MARKER='<!-- kfguide-preview -->'
BOT='github-actions[bot]'

die() { echo "preview.sh: $*" >&2; exit 1; }

decide() {
  local file="$1/pr-number" raw number answer state head
  [[ -f "$file" && ! -L "$file" ]] || die "$file: missing from the artifact"
  [[ "$(wc -c <"$file")" -le 16 ]] || die "$file: not a pull request number (too long)"
  raw="$(cat "$file")"  # $(...) drops the trailing newline; any other newline stays and fails
  [[ "$raw" =~ ^[1-9][0-9]{0,9}$ ]] || die "$file: not a pull request number"
  number="$raw"
  if [[ -n "${RUN_PR:-}" && "$RUN_PR" != "$number" ]]; then
    die "artifact says PR #$number but the workflow run belongs to PR #$RUN_PR"
  fi
  [[ "${HEAD_SHA:-}" =~ ^[0-9a-f]{40}$ ]] || die "HEAD_SHA is not a commit id"
  answer="$(gh api "repos/$GITHUB_REPOSITORY/pulls/$number" --jq '.state + " " + .head.sha')" \
    || die "cannot read pull request #$number"
  read -r state head <<<"$answer"
  echo "number=$number"
  if [[ "$state" == "closed" ]]; then
    echo "action=remove"
  elif [[ "$state" == "open" && "$head" == "$HEAD_SHA" ]]; then
    echo "action=deploy"
  else
    echo "preview.sh: PR #$number is at ${head:0:12}, this run built ${HEAD_SHA:0:12}: skipping (a newer run will publish)" >&2
    echo "action=skip"
  fi
}

find_comment() {
  gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$1/comments?per_page=100" \
    --jq ".[] | select(.user.login == \"$BOT\" and (.body | startswith(\"$MARKER\"))) | .id" | head -n 1
}

comment() {
  local pr="$1" body="$2" id
  [[ "$pr" =~ ^[1-9][0-9]{0,9}$ ]] || die "not a pull request number: '$pr'"
  [[ -s "$body" ]] || die "$body: empty comment"
  head -n 1 "$body" | grep -qxF "$MARKER" || die "$body: does not start with $MARKER"
  id="$(find_comment "$pr")"
  if [[ -n "$id" ]]; then
    gh api -X PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$id" -F "body=@$body" --jq '.html_url'
  else
    gh api -X POST "repos/$GITHUB_REPOSITORY/issues/$pr/comments" -F "body=@$body" --jq '.html_url'
  fi
}

removed_comment() {
  local pr="$1" id tmp
  [[ "$pr" =~ ^[1-9][0-9]{0,9}$ ]] || die "not a pull request number: '$pr'"
  id="$(find_comment "$pr")"
  [[ -n "$id" ]] || { echo "preview.sh: PR #$pr has no preview comment"; return 0; }
  tmp="$(mktemp)"
  printf '%s\n### 📖 미리보기 (Preview)\n\n풀 리퀘스트가 닫혀 미리보기를 지웠습니다.\n\n---\n\n*The pull request was closed, so its preview was removed.*\n' "$MARKER" >"$tmp"
  gh api -X PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$id" -F "body=@$tmp" --jq '.html_url'
  rm -f "$tmp"
}

case "${1:-}" in
  decide) [[ $# -eq 2 ]] || die "usage: decide ARTIFACT_DIR"; decide "$2" ;;
  comment) [[ $# -eq 3 ]] || die "usage: comment PR BODY_FILE"; comment "$2" "$3" ;;
  removed-comment) [[ $# -eq 2 ]] || die "usage: removed-comment PR"; removed_comment "$2" ;;
  *) die "usage: preview.sh decide ARTIFACT_DIR | comment PR BODY_FILE | removed-comment PR" ;;
esac
