-- Shopify order lines (grain: order x line), from the latest export that contains the order.
with source as (
    select * from {{ raw_source('shopify_orders') }}
),

latest_file as (
    select order_name, max(_file_id) as _file_id
    from source
    group by order_name
),

final as (
    select
        source.order_name,
        source.line_number,
        source.lineitem_sku as sku,
        source.lineitem_name as product_name,
        coalesce(source.lineitem_quantity, 0) as quantity,
        cast(coalesce(source.lineitem_price, 0) as {{ dbt.type_numeric() }}) as unit_price
    from source
    inner join latest_file
        on source.order_name = latest_file.order_name
        and source._file_id = latest_file._file_id
)

select * from final
