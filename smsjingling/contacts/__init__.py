"""The contact book: contacts, groups, opt-outs and consent."""
