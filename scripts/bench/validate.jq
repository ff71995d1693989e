# The weaker validation a jq user would write: an object, type "track", a known event,
# an E.164-looking userId, channel whatsapp.
select(type == "object" and .type == "track"
  and (.event | IN("message.received", "message.sent", "message.delivered", "message.read",
    "message.failed", "chat.resolved", "contact.created"))
  and (.userId | type == "string" and test("^\\+[1-9][0-9]{6,14}$"))
  and .context.channel == "whatsapp")
