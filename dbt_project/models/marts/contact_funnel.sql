with

contacts as (

    select * from {{ ref('stg_intercom__contacts') }}

),

conversation_contacts as (

    select * from {{ ref('stg_intercom__conversation_contacts') }}

),

conversation_metrics as (

    select * from {{ ref('conversation_metrics') }}

),

contact_conversations as (

    select
        conversation_contacts.contact_id,
        min(conversation_metrics.first_contact_reply_at) as engaged_at,
        min(conversation_metrics.first_admin_reply_at) as answered_at,
        count(*) as count_conversations

    from conversation_contacts
    inner join conversation_metrics
        on conversation_contacts.conversation_id = conversation_metrics.conversation_id
    group by conversation_contacts.contact_id

),

as_of as (

    select
        {% if var('intercom__funnel_as_of') %}
        cast('{{ var("intercom__funnel_as_of") }}' as timestamp)
        {% else %}
        max(updated_at)
        {% endif %} as as_of_at

    from contacts

),

final as (

    select
        contacts.contact_id,
        contacts.contact_role,
        contacts.created_at,
        contact_conversations.engaged_at,
        contact_conversations.answered_at,
        -- Converted: signed up, or a user from the start.
        coalesce(
            contacts.signed_up_at,
            case when contacts.contact_role = 'user' then contacts.created_at end
        ) as converted_at,
        contacts.last_seen_at,
        coalesce(contact_conversations.count_conversations, 0) as count_conversations,
        coalesce(
            contacts.last_seen_at
            >= as_of.as_of_at - to_days({{ var('intercom__active_days') }}),
            false
        ) as is_active,
        as_of.as_of_at

    from contacts
    cross join as_of
    left join contact_conversations
        on contacts.contact_id = contact_conversations.contact_id

)

select
    *,
    datediff('second', created_at, engaged_at) / 86400.0 as days_created_to_engaged,
    datediff('second', engaged_at, answered_at) / 86400.0 as days_engaged_to_answered,
    datediff('second', created_at, converted_at) / 86400.0 as days_created_to_converted
from final
