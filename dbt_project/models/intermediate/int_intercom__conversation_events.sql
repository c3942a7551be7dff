-- One row per message of a conversation: its opening message (the conversation's
-- `source`) and each part, flagged with the roles the metric definitions use.
with

conversations as (

    select * from {{ ref('stg_intercom__conversations') }}

),

parts as (

    select * from {{ ref('stg_intercom__conversation_parts') }}

),

opening_messages as (

    select
        conversation_id,
        'source-' || conversation_id as event_id,
        'source' as part_type,
        source_author_type as author_type,
        source_author_id as author_id,
        cast(null as varchar) as body,
        created_at,
        extracted_at,
        true as is_opening_message

    from conversations

),

later_parts as (

    select
        conversation_id,
        conversation_part_id as event_id,
        part_type,
        author_type,
        author_id,
        body,
        created_at,
        extracted_at,
        false as is_opening_message

    from parts

),

events as (

    select * from opening_messages
    union all
    select * from later_parts

),

flagged as (

    select
        *,
        author_type in {{ contact_author_types() }}
            and (is_opening_message or part_type = 'comment') as is_contact_message,
        -- A reply is an admin's comment, or an assignment that carries a message.
        -- Bots are never admins; notes are never replies.
        author_type = 'admin'
            and (
                part_type = 'comment'
                or (
                    part_type in {{ assignment_part_types() }}
                    and nullif(trim(body), '') is not null
                )
            ) as is_admin_reply,
        part_type in {{ assignment_part_types() }} as is_assignment,
        part_type = 'close' and author_type = 'admin' as is_admin_close,
        part_type = 'close' and author_type = 'bot' as is_bot_close,
        part_type in {{ reopen_part_types() }} as is_reopen,
        -- Order of the messages: time, the opening message first, then part id
        -- (numerically: shorter ids first), as Intercom lists them.
        row_number() over (
            partition by conversation_id
            order by created_at, is_opening_message desc, length(event_id), event_id
        ) as event_sequence

    from events

)

select * from flagged
