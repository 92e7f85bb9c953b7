// Package runscript knows how a RUN script reads beyond the core's parse
// (diagnose.Instruction.Scripts and Commands): the commands of a RUN and of
// an ONBUILD RUN trigger, which commands really run, the text of a shell
// word, where a statement ends, a command's shell, and lists of names
// rendered for messages.
package runscript
