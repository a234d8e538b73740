"""Read-only checks of an AWS account for a stack, before and after deploy (`python -m program.verify STACK`)."""
