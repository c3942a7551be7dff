with

source as (

    select * from {{ source('intercom', 'conversations') }}

),

renamed as (

    select
        -- ids
        cast(id as varchar) as conversation_id,
        cast(admin_assignee_id as varchar) as assignee_admin_id,
        cast(team_assignee_id as varchar) as assignee_team_id,

        -- attributes
        title as conversation_title,
        state as conversation_state,
        priority,
        {{ json_text('source', '$.type') }} as source_type,
        {{ json_text('source', '$.delivered_as') }} as source_delivered_as,
        {{ json_text('source', '$.subject') }} as source_subject,
        {{ json_text('source', '$.author.type') }} as source_author_type,
        {{ json_text('source', '$.author.id') }} as source_author_id,
        {{ json_value('conversation_rating', '$.rating', 'integer') }} as rating,
        {{ json_text('conversation_rating', '$.remark') }} as rating_remark,
        {{ json_timestamp('conversation_rating', '$.created_at') }} as rated_at,
        {{ json_text('conversation_rating', '$.teammate.id') }} as rating_admin_id,
        contacts,
        teammates,
        tags,
        custom_attributes,
        statistics,

        -- Intercom's own statistics (business-hours durations, integer seconds)
        {{ json_value('statistics', '$.time_to_assignment', 'bigint') }}
            as intercom_time_to_assignment_seconds,
        {{ json_value('statistics', '$.time_to_admin_reply', 'bigint') }}
            as intercom_time_to_admin_reply_seconds,
        {{ json_value('statistics', '$.time_to_first_close', 'bigint') }}
            as intercom_time_to_first_close_seconds,
        {{ json_value('statistics', '$.time_to_last_close', 'bigint') }}
            as intercom_time_to_last_close_seconds,
        {{ json_value('statistics', '$.median_time_to_reply', 'bigint') }}
            as intercom_median_time_to_reply_seconds,
        {{ json_timestamp('statistics', '$.first_contact_reply_at') }}
            as intercom_first_contact_reply_at,
        {{ json_timestamp('statistics', '$.first_assignment_at') }}
            as intercom_first_assignment_at,
        {{ json_timestamp('statistics', '$.first_admin_reply_at') }}
            as intercom_first_admin_reply_at,
        {{ json_timestamp('statistics', '$.first_close_at') }} as intercom_first_close_at,
        {{ json_timestamp('statistics', '$.last_assignment_at') }}
            as intercom_last_assignment_at,
        {{ json_timestamp('statistics', '$.last_assignment_admin_reply_at') }}
            as intercom_last_assignment_admin_reply_at,
        {{ json_timestamp('statistics', '$.last_contact_reply_at') }}
            as intercom_last_contact_reply_at,
        {{ json_timestamp('statistics', '$.last_admin_reply_at') }}
            as intercom_last_admin_reply_at,
        {{ json_timestamp('statistics', '$.last_close_at') }} as intercom_last_close_at,
        {{ json_text('statistics', '$.last_closed_by_id') }} as intercom_last_closed_by_id,
        {{ json_value('statistics', '$.count_reopens', 'integer') }} as intercom_count_reopens,
        {{ json_value('statistics', '$.count_assignments', 'integer') }}
            as intercom_count_assignments,
        {{ json_value('statistics', '$.count_conversation_parts', 'integer') }}
            as intercom_count_conversation_parts,

        -- booleans
        coalesce("open", false) as is_open,
        coalesce("read", false) as is_read,

        -- timestamps
        {{ epoch_to_timestamp('created_at') }} as created_at,
        {{ epoch_to_timestamp('updated_at') }} as updated_at,
        {{ epoch_to_timestamp('waiting_since') }} as waiting_since_at,
        {{ epoch_to_timestamp('snoozed_until') }} as snoozed_until_at,
        _airbyte_extracted_at as extracted_at

    from source
    {{ dedupe_newest('id') }}

)

select * from renamed
