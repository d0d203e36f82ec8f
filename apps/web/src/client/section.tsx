import type { ComponentChildren } from 'preact'
import { BOOK_SECTIONS, type BookTopic, bookHref } from '../book'

/** A link to the `/book` page's entry for `topic`, shown as its section number. */
export function BookLink(props: { topic: BookTopic; label?: string }) {
  const book = BOOK_SECTIONS[props.topic]
  const id = /^\d/.test(book.id) ? `ch. ${book.id}` : book.id
  return (
    <a class="book" href={bookHref(props.topic)} target="_blank" rel="noopener" title={book.title}>
      {props.label === undefined ? id : `${props.label} ${id}`}
    </a>
  )
}

/** A panel of the page, titled with the book section that describes what it draws. */
export function Section(props: {
  topic: BookTopic
  title: string
  children: ComponentChildren
  extra?: ComponentChildren
}) {
  return (
    <section class={`panel panel-${props.topic}`} data-testid={`section-${props.topic}`}>
      <h2>
        {props.title}
        <BookLink topic={props.topic} />
        {props.extra}
      </h2>
      {props.children}
    </section>
  )
}
