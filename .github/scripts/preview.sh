#!/usr/bin/env bash
# The trusted half of the PR preview (runs in .github/workflows/preview.yml, from the default
# branch, never from the pull request).
#
#   preview.sh decide ARTIFACT_DIR     print `number=N` and `action=deploy|hold|remove|skip`
#                                      lines (for $GITHUB_OUTPUT)
#   preview.sh comment PR BODY_FILE    create or update the one comment that starts with the
#                                      marker <!-- kfguide-preview -->
#   preview.sh removed-comment PR      update that comment (if any) to say the preview is gone
#   preview.sh fallback-comment        print a short comment for when the report could not be
#                                      rendered at all (so a pull request never lacks one)
#
# Everything in ARTIFACT_DIR was written by the pull request's own build and is untrusted:
# the PR number is read as at most 16 bytes, must be digits, must match the run's PR when
# GitHub names one, and must belong to a pull request whose head is the commit that was built
# (github.event.workflow_run.head_sha). So a fork cannot publish over another PR's preview, and
# a late run of an old commit does not replace a newer preview.
#
# Previews share the origin (https://OWNER.github.io) of every Pages site of the owner, so a
# preview is published only for code a maintainer has seen: a pull request from a branch of
# this repository (its author can push here anyway), or from a fork when the run was started
# by someone with write access to this repository (applying the `preview` label starts one,
# as does "Re-run jobs") while the pull request has that label. A new commit from the fork
# starts a run by its author: `hold`, the old preview stays, the comment says why.
#
# Environment: GITHUB_REPOSITORY, GH_TOKEN (for `gh api`), and for `decide`: HEAD_SHA (the
# run's head commit), RUN_PR (github.event.workflow_run.pull_requests[0].number: set for
# pull requests from this repository, empty for forks) and TRIGGER (the login that started
# the run: github.event.workflow_run.triggering_actor.login). Needs bash and gh (no jq).
set -euo pipefail

MARKER='<!-- kfguide-preview -->'
BOT='github-actions[bot]'
LABEL='preview'

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
  answer="$(gh api "repos/$GITHUB_REPOSITORY/pulls/$number" --jq "$PULL_JQ")" \
    || die "cannot read pull request #$number"
  read -r state head repo labelled <<<"$answer"
  echo "number=$number"
  if [[ "$state" == "closed" ]]; then
    echo "action=remove"
  elif [[ "$state" != "open" || "$head" != "$HEAD_SHA" ]]; then
    echo "preview.sh: PR #$number is at ${head:0:12}, this run built ${HEAD_SHA:0:12}: skipping (a newer run will publish)" >&2
    echo "action=skip"
  elif [[ "$repo" == "$GITHUB_REPOSITORY" ]]; then
    echo "action=deploy"
  elif [[ "$labelled" == "yes" ]] && maintainer "${TRIGGER:-}"; then
    echo "preview.sh: PR #$number is from $repo; run started by ${TRIGGER} (write access) with the '$LABEL' label: publishing" >&2
    echo "action=deploy"
  else
    echo "preview.sh: PR #$number is from a fork ($repo); the run was not started by a maintainer with the '$LABEL' label on: holding" >&2
    echo "action=hold"
  fi
}

# state, head commit, head repository and whether the preview label is on, on one line.
PULL_JQ="[.state, .head.sha, (.head.repo.full_name // \"-\"), (if any(.labels[]?; .name == \"$LABEL\") then \"yes\" else \"no\" end)] | join(\" \")"

maintainer() {  # has LOGIN write, maintain or admin access to this repository?
  local login="$1" permission
  [[ "$login" =~ ^[A-Za-z0-9](-?[A-Za-z0-9]){0,38}$ ]] || return 1  # no bots, nothing odd
  permission="$(gh api "repos/$GITHUB_REPOSITORY/collaborators/$login/permission" --jq .permission 2>/dev/null)" || return 1
  [[ "$permission" == "admin" || "$permission" == "write" || "$permission" == "maintain" ]]
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

fallback_comment() {
  printf '%s\n### 📖 미리보기와 검사 결과 (Preview and checks)\n\n- **검사 결과:** ⚠️ 검사 보고서를 읽을 수 없습니다. 워크플로 기록을 확인하세요.\n\n---\n\n*The check report could not be read; see the workflow run.*\n' "$MARKER"
}

case "${1:-}" in
  decide) [[ $# -eq 2 ]] || die "usage: decide ARTIFACT_DIR"; decide "$2" ;;
  comment) [[ $# -eq 3 ]] || die "usage: comment PR BODY_FILE"; comment "$2" "$3" ;;
  removed-comment) [[ $# -eq 2 ]] || die "usage: removed-comment PR"; removed_comment "$2" ;;
  fallback-comment) [[ $# -eq 1 ]] || die "usage: fallback-comment"; fallback_comment ;;
  *) die "usage: preview.sh decide ARTIFACT_DIR | comment PR BODY_FILE | removed-comment PR | fallback-comment" ;;
esac
