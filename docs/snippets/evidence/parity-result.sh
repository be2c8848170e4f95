# FORMAT EXAMPLE: what a shell script can emit after comparing two runs.
status=pass; [ -s diff.json ] && status=fail
printf '{"fixture":"%s","runtime":"go","status":"%s","timestamp":%s,"diffs":%s}\n' \
  "calculator-basic" "$status" "$(date +%s)" "$(cat diff.json 2>/dev/null || echo '[]')" \
  > parity/results/calculator-basic.json
