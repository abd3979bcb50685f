import type { Translator, Lang } from '../i18n.ts';
import { languages } from '../i18n.ts';
import { createViews, type Views } from '../views.ts';
import type { EmailTemplate } from './outbox.ts';

interface RenderedEmail {
  subject: string;
  /** The whole HTML document sent. */
  html: string;
  /** The language sections alone, for showing inside a page. */
  bodyHtml: string;
  text: string;
}

export interface EmailRenderer {
  render(
    template: EmailTemplate,
    language: Lang | null,
    data: Record<string, unknown>,
    /** The recipient chose `language`: that one alone. */
    languageOnly?: boolean,
  ): RenderedEmail;
}

/**
 * The one place that decides a message's languages: the one a person chose for their emails
 * alone; otherwise both official languages in one message, the recipient's first (English first
 * when unknown).
 */
export function createEmailRenderer(
  views: Views,
  translator: Translator,
  publicUrl: string,
): EmailRenderer {
  const textViews = createViews({ autoescape: false });
  return {
    render(template, language, data, languageOnly = false) {
      const order: Lang[] =
        languageOnly && language ? [language] : language === 'fr' ? ['fr', 'en'] : [...languages];
      const sections = order.map((lang) => {
        const t = translator.t(lang);
        const context = { ...data, lang, t, publicUrl };
        return {
          lang,
          subject: t(`emails.${template}.subject`, data as Record<string, string>),
          html: views.render(`emails/${template}.html.njk`, context),
          text: textViews.render(`emails/${template}.txt.njk`, context).trim(),
        };
      });
      const subject = sections.map((s) => s.subject).join(' | ');
      const bodyHtml = views.render('emails/sections.html.njk', { sections });
      return {
        subject,
        bodyHtml,
        html: views.render('emails/layout.html.njk', { bodyHtml, subject, lang: order[0] }),
        text: sections.map((s) => s.text).join('\n\n————————————————————\n\n') + '\n',
      };
    },
  };
}
