with

source as (

    select * from {{ source('intercom', 'contacts') }}

),

renamed as (

    select
        -- ids
        cast(id as varchar) as contact_id,
        external_id,
        cast(owner_id as varchar) as owner_admin_id,
        workspace_id,

        -- attributes
        role as contact_role,
        name as contact_name,
        email,
        phone,
        {{ json_text('location', '$.country') }} as country,
        {{ json_text('location', '$.city') }} as city,
        custom_attributes,
        tags,
        companies,

        -- booleans
        coalesce(has_hard_bounced, false) as has_hard_bounced,
        coalesce(unsubscribed_from_emails, false) as is_unsubscribed_from_emails,

        -- timestamps
        {{ epoch_to_timestamp('created_at') }} as created_at,
        {{ epoch_to_timestamp('updated_at') }} as updated_at,
        {{ epoch_to_timestamp('signed_up_at') }} as signed_up_at,
        {{ epoch_to_timestamp('last_seen_at') }} as last_seen_at,
        {{ epoch_to_timestamp('last_replied_at') }} as last_replied_at,
        {{ epoch_to_timestamp('last_contacted_at') }} as last_contacted_at,
        _airbyte_extracted_at as extracted_at

    from source
    {{ dedupe_newest('id') }}

)

select * from renamed
