#!/usr/bin/env bash
# The audit step of the opmodel action (action.yml), kept in a file so that tests/action.rs can run it against a
# stub `gh` that pages like the REST API. Everything it is given comes in environment variables (set by action.yml
# from its inputs and the event), never spliced into the script:
#   OPMODEL      the opmodel binary            REPO, PR, PR_AUTHOR   the repository (owner/name), number, author login
#   BASE, HEAD   the commits to audit           CAN_WRITE             "true" when the token may write (not a fork)
#   FAIL_ON, SARIF, ARGS, WORKING_DIRECTORY, STALE_APPROVALS, COMMENT, REQUEST_REVIEWS   the action's inputs
#   GH_TOKEN     for the GitHub CLI             GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP   as on a runner
# Without PR (a push), it audits BASE..HEAD with no reviews and writes no comment: the SARIF upload of a push to
# the default branch is the base that code scanning compares pull requests with.
# It always exits 0 and sets the output exit-code (0, 1 or 2); action.yml fails the job from it after the upload.
set -uo pipefail

MARKER='<!-- opmodel-audit -->'
finish() { echo "exit-code=$1" >> "$GITHUB_OUTPUT"; exit 0; }
warn() { echo "::warning title=opmodel::$*"; }

cd -- "${WORKING_DIRECTORY:-.}" || finish 2
PR=${PR:-}
if [ -z "${BASE:-}" ] || [ -z "${HEAD:-}" ]; then
  echo "::error title=opmodel::this action audits a pull request or a push: run it on pull_request, pull_request_review or push events"
  finish 2
fi
# A push that creates a branch has no "before": the range is empty, and the SARIF still gives code scanning a base.
if [ "$BASE" = 0000000000000000000000000000000000000000 ]; then BASE=$HEAD; fi
for commit in "$BASE" "$HEAD"; do
  if ! git cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "::error title=opmodel::commit $commit is not in the clone: check out with actions/checkout and fetch-depth: 0"
    finish 2
  fi
done
FAIL_ON=${FAIL_ON:-error}
case "$FAIL_ON" in
  error | warn | info | never) ;;
  warning) FAIL_ON=warn ;;
  *)
    echo "::error title=opmodel::fail-on must be error, warn, info or never, not '$FAIL_ON'"
    finish 2
    ;;
esac

# The approvals: each reviewer's latest decisive review (APPROVED or CHANGES_REQUESTED; COMMENTED and DISMISSED
# decide nothing), read over every page, counts when it approves the head commit (any commit with
# approvals-on-stale-commits: true). The REST API lists reviews oldest first.
approvers=()
approved_logins=""
if [ -n "$PR" ]; then
  # shellcheck disable=SC2016 # $head and $stale are jq variables
  decisive='[.[] | select(.user != null and (.state == "APPROVED" or .state == "CHANGES_REQUESTED"))]
    | reduce .[] as $r ({}; .[$r.user.login] = $r) | [.[]]
    | map(select(.state == "APPROVED" and ($stale == "true" or .commit_id == $head)) | .user.login) | sort | .[]'
  if reviews=$(gh api --paginate "repos/$REPO/pulls/$PR/reviews?per_page=100") &&
    approved_logins=$(jq -r -s --arg head "$HEAD" --arg stale "${STALE_APPROVALS:-false}" "add // [] | $decisive" <<< "$reviews"); then
    while IFS= read -r login; do
      if [ -n "$login" ]; then approvers+=(--approver "@$login"); fi
    done <<< "$approved_logins"
  else
    approved_logins=""
    warn "could not read the pull request's reviews: auditing without them as approvals"
  fi
fi
author=()
if [ -n "${PR_AUTHOR:-}" ]; then author=(--author "@$PR_AUTHOR"); fi
extra=()
read -r -a extra <<< "${ARGS:-}" || true
audit=("$OPMODEL" audit "$BASE..$HEAD" "${author[@]}" "${approvers[@]}" "${extra[@]}")

# The Markdown report (job summary and comment), the annotations (whose exit code decides), then SARIF when asked.
work=$(mktemp -d "${RUNNER_TEMP:-/tmp}/opmodel-audit.XXXXXX") || finish 2
trap 'rm -rf -- "$work"' EXIT
code=0
"${audit[@]}" --format markdown --fail-on never > "$work/report.md" || code=$?
if [ "$code" != 0 ]; then finish "$code"; fi
cat "$work/report.md" >> "$GITHUB_STEP_SUMMARY"
"${audit[@]}" --format github --fail-on "$FAIL_ON" || code=$?
if [ "${SARIF:-false}" = true ]; then
  sarif_file="${RUNNER_TEMP:-/tmp}/opmodel.sarif"
  if "${audit[@]}" --format sarif --fail-on never > "$sarif_file"; then
    echo "sarif-file=$sarif_file" >> "$GITHUB_OUTPUT"
  fi
fi

# Writes to the pull request need a token that can write: a fork's pull request gets a read-only one.
if [ -z "$PR" ] || [ "${CAN_WRITE:-false}" != true ]; then finish "$code"; fi

# One comment, found by its hidden marker among the bot's comments (so a comment quoting the marker is never
# edited), created on the first run and edited in place after.
if [ "${COMMENT:-true}" = true ]; then
  { printf '%s\n' "$MARKER"; cat "$work/report.md"; } > "$work/comment.md"
  if comments=$(gh api --paginate "repos/$REPO/issues/$PR/comments?per_page=100") &&
    comment_id=$(jq -r -s --arg marker "$MARKER" \
      'add // [] | map(select(.user.type == "Bot" and ((.body // "") | startswith($marker)))) | first | .id // empty' <<< "$comments"); then
    if [ -n "$comment_id" ]; then
      gh api --method PATCH "repos/$REPO/issues/comments/$comment_id" -F "body=@$work/comment.md" > /dev/null ||
        warn "could not update the pull request's comment"
    else
      gh api --method POST "repos/$REPO/issues/$PR/comments" -F "body=@$work/comment.md" > /dev/null ||
        warn "could not comment on the pull request (needs pull-requests: write)"
    fi
  else
    warn "could not read the pull request's comments"
  fi
fi

# Review requests, as CODEOWNERS sends them: every person (by their `github` login in the model) whose sign-off a
# finding is missing, except the pull request's author and whoever already approved the head.
if [ "${REQUEST_REVIEWS:-true}" = true ]; then
  json_code=0
  "${audit[@]}" --format json --fail-on never > "$work/report.json" || json_code=$?
  if [ "$json_code" = 0 ] &&
    wanted=$(jq -r --arg author "${PR_AUTHOR:-}" --arg approved "$approved_logins" \
      '($approved | split("\n")) as $done
       | [.findings[].approvers[] | .github // empty | select(. != "" and . != $author and (. as $l | $done | index($l) | not))]
       | unique | .[]' "$work/report.json"); then
    reviewers=()
    while IFS= read -r login; do
      if [ -n "$login" ]; then reviewers+=(-f "reviewers[]=$login"); fi
    done <<< "$wanted"
    if [ "${#reviewers[@]}" != 0 ]; then
      gh api --method POST "repos/$REPO/pulls/$PR/requested_reviewers" "${reviewers[@]}" > /dev/null ||
        warn "could not request reviews from: $(tr '\n' ' ' <<< "$wanted")"
    fi
  else
    warn "could not read the audit's JSON report: no review requests"
  fi
fi
finish "$code"
