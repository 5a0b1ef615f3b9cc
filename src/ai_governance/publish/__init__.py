"""Writing the verdict back to a forge (a pull request comment). Publishing is output: it
never changes the verdict, and a token that may not write degrades to the job's own log."""
