/** The link back up to the parent page, above the title. */
export function Breadcrumb({ href, label }: { href: string; label: string }) {
  return (
    <p class="breadcrumb">
      <a href={href} safe>
        {label}
      </a>
    </p>
  );
}
