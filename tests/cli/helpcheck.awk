# Reads the text of `gpcov CMD --help` and prints every option that takes a
# value but whose description states neither its default nor that it is
# required (or repeatable, i.e. none by default).  Used by test_help.sh.
function flush() {
  if (opt != "" && hasarg && tolower(block) !~ /default|required|repeatable/) print opt
  opt = ""; block = ""; hasarg = 0
}
/^  -/ {
  flush()
  line = $0; sub(/^ +/, "", line)
  split(line, w, / +/)
  opt = w[1]
  # an argument follows when the second word is upper case or a placeholder
  hasarg = (w[2] ~ /^[A-Z][A-Z0-9_.,=\[\]|:-]*$/ || w[2] ~ /^[A-Z]+=/ ) ? 1 : 0
  block = line
  next
}
/^      +[^ ]/ { if (opt != "") block = block " " $0; next }
{ flush() }
END { flush() }
