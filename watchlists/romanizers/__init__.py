"""One romaniser per script: each turns a name's words into Latin spellings, primary first."""
