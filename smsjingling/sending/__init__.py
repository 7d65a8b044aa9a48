"""The sending engine: campaigns become messages, the dispatcher hands them to channels, and every change
of a message's status is recorded (see record.move)."""
