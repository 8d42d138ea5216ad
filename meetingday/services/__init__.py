"""The service layer: one module per capability, one function per state change.

Each state-changing function checks the rules (raising DomainError), writes, records the
audit entry, and commits. Views and Socket.IO handlers only call these.
"""
