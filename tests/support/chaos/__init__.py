"""A chaos run of the whole deployment: the processes, the users, the faults and the verdict
(see ``bench/chaos.py``)."""
