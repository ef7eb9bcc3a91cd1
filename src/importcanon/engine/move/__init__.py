"""`importcanon move OLD NEW`: validate, compute every edit, then apply all of it or none.

Nothing is touched before the whole move is known: names and target are validated
(`checks`), every Python file (`python_files`), text file (`text_files`) and configuration
file (`config_files`) is rewritten in memory and checked to parse, gathered in a `plan.Plan`
(`planner.make_plan`); only then are folders created, the module moved (`git mv` in a git
repository) and the files written (`journal.apply`). `diff` renders a plan for `--dry-run`.
"""
