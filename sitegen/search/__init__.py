"""Search on the public sites: Pagefind's static index per site and language
(``sitegen.search.pagefind``, made by every build) and, for networks that want hosted search,
Algolia records kept in step with what is published (``sitegen.search.algolia``)."""
