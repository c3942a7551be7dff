-- One row per company: its attributes, tags and segments.
with

companies as (

    select * from {{ ref('stg_intercom__companies') }}

),

company_tags as (

    select * from {{ ref('stg_intercom__company_tags') }}

),

company_segments as (

    select * from {{ ref('stg_intercom__company_segments') }}

),

tag_lists as (

    select
        company_id,
        string_agg(tag_name, ', ' order by tag_name) as tag_names,
        count(*) as count_tags

    from company_tags
    group by company_id

),

segment_lists as (

    select
        company_id,
        string_agg(segment_name, ', ' order by segment_name) as segment_names,
        count(*) as count_segments

    from company_segments
    group by company_id

),

final as (

    select
        -- ids
        companies.company_id,
        companies.external_company_id,

        -- attributes
        companies.company_name,
        companies.plan_name,
        companies.monthly_spend,
        companies.company_size,
        companies.industry,
        companies.website,
        companies.session_count,
        companies.user_count,
        tag_lists.tag_names,
        coalesce(tag_lists.count_tags, 0) as count_tags,
        segment_lists.segment_names,
        coalesce(segment_lists.count_segments, 0) as count_segments,
        companies.custom_attributes,

        -- timestamps
        companies.created_at,
        companies.updated_at,
        companies.remote_created_at,
        companies.last_request_at

    from companies
    left join tag_lists
        on companies.company_id = tag_lists.company_id
    left join segment_lists
        on companies.company_id = segment_lists.company_id

)

select * from final
