"""Word lists the generator draws names, bodies and attributes from."""

from __future__ import annotations

FIRST_NAMES = (
    "Ada", "Ben", "Chloe", "Dmitri", "Elena", "Farah", "Gus", "Hana", "Ivan", "Jade",
    "Kofi", "Lena", "Mateo", "Nia", "Oscar", "Priya", "Quinn", "Rosa", "Sami", "Tariq",
    "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe", "Aoife", "Bruno", "Carmen", "Dara",
)
LAST_NAMES = (
    "Okafor", "Silva", "Nakamura", "Murphy", "Kowalski", "Haddad", "Jensen", "Moreau",
    "Rossi", "Schmidt", "Novak", "Byrne", "Garcia", "Ivanova", "Lindqvist", "Mensah",
    "Patel", "Quintero", "Svensson", "Tanaka", "Walsh", "Yilmaz", "Zhang", "Kaur",
)
COMPANY_WORDS = (
    "Blue", "Sun", "Harbor", "Pixel", "Granite", "Nimbus", "Copper", "Atlas", "Maple",
    "Quartz", "Orbit", "Lumen", "Cedar", "Falcon", "Vertex", "Coral", "Summit", "Echo",
)
COMPANY_SUFFIXES = ("Labs", "Systems", "Foods", "Logistics", "Health", "Studio", "Works", "Bank")
INDUSTRIES = ("Software", "Retail", "Finance", "Healthcare", "Education", "Logistics", "Media")
PLANS = (("Free", "free"), ("Pro", "pro"), ("Enterprise", "enterprise"))
JOB_TITLES = ("Support Engineer", "Support Lead", "Success Manager", "Account Executive", "Head of Support")
TEAM_NAMES = ("Tier 1 Support", "Billing", "Onboarding", "Enterprise Success", "Escalations", "Sales")
TAG_NAMES = (
    "vip", "bug", "billing", "feature-request", "churn-risk", "onboarding", "refund", "beta",
    "integration", "security", "mobile", "api", "sso", "invoice", "upgrade", "downgrade",
)
SEGMENT_NAMES = (
    "Active users", "New leads", "Slipping away", "Paying customers", "Trialists",
    "Enterprise accounts", "Mobile users", "EU customers", "Power users", "Dormant",
)
CITIES = (
    ("Dublin", "Leinster", "Ireland", "IE", "EU"), ("Berlin", "Berlin", "Germany", "DE", "EU"),
    ("Austin", "Texas", "United States", "US", "NA"), ("Toronto", "Ontario", "Canada", "CA", "NA"),
    ("Sydney", "New South Wales", "Australia", "AU", "OC"), ("Lagos", "Lagos", "Nigeria", "NG", "AF"),
    ("Tokyo", "Tokyo", "Japan", "JP", "AS"), ("Sao Paulo", "Sao Paulo", "Brazil", "BR", "SA"),
)
BROWSERS = ("chrome", "firefox", "safari", "edge")
OSES = ("OS X 14.4", "Windows 11", "iOS 17.5", "Android 14", "Linux")
LANGUAGES = ("en", "de", "fr", "es", "pt", "ja")

CONTACT_OPENERS = (
    "Hi, I can't log in to my account.", "How do I export my invoices?",
    "The dashboard is not loading for me.", "Can I change my plan mid-cycle?",
    "Is there an API endpoint for bulk imports?", "I was charged twice this month.",
    "How do I add a teammate?", "SSO with Okta keeps failing.",
)
CONTACT_FOLLOW_UPS = (
    "Thanks, that worked!", "Still seeing the same problem.", "Here is a screenshot.",
    "Any update on this?", "Could you explain that step again?", "Great, one more question.",
)
ADMIN_REPLIES = (
    "Thanks for reaching out! Let me check that for you.", "Could you try clearing your cache?",
    "I've refunded the duplicate charge.", "Here's a guide that walks through it.",
    "I've escalated this to our engineers.", "That should be fixed now, can you confirm?",
)
ADMIN_NOTES = (
    "Customer is on the legacy plan.", "Checked logs, looks like a token expiry.",
    "Linked to the billing incident.", "Follow up next week.",
)
BOT_MESSAGES = (
    "Thanks for your message! The team typically replies in a few hours.",
    "While you wait, these articles might help.",
    "Closing this conversation as it seems resolved.",
)
ASSIGNMENT_BODIES = ("Passing this to the billing team.", "Taking this one.", "Assigning to our specialist.")
OUTBOUND_SUBJECTS = ("Welcome aboard!", "Your trial ends soon", "New feature: bulk export", "How are we doing?")
RATING_REMARKS = ("Very helpful, thanks!", "Took a while but sorted.", "Not resolved.", "")
ACTIVITY_TYPES = (
    ("admin_login_success", "{name} successfully logged in."),
    ("admin_logout", "{name} logged out."),
    ("admin_away_mode_change", "{name} changed their away mode."),
    ("app_team_membership_modification", "{name} changed a team's membership."),
    ("message_state_change", "{name} changed a message's state."),
    ("admin_permission_change", "{name} changed an admin's permissions."),
    ("conversation_topic_change", "{name} changed a conversation topic."),
    ("office_hours_change", "{name} changed the office hours."),
)
