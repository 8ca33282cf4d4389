/**
 * The pictures a user sees come from the .vsix. The Getting Started walkthrough (its steps'
 * Markdown, from package.json) shows images by relative path: each must exist, be a PNG, have
 * alt text, and be in the package, and the package carries no screenshot that nothing shows
 * (.vscodeignore lists them one by one). The README may show images only once they can come
 * from https: vsce refuses relative ones without a `repository`, and VS Code's Extensions view
 * drops them (docs/development.md, "Publishing: the README's images").
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { markdownImages } from '../support/markdownImages';

const REPO = path.resolve(__dirname, '..', '..');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The Markdown files shown from the package: the README and each walkthrough step's media. */
function shownMarkdownFiles(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
    contributes?: { walkthroughs?: Array<{ steps?: Array<{ media?: { markdown?: string } }> }> };
  };
  const steps = (manifest.contributes?.walkthroughs ?? []).flatMap((w) => w.steps ?? []);
  return ['README.md', ...steps.flatMap((s) => (s.media?.markdown ? [s.media.markdown] : []))];
}

/** Every image those files show, as a path from the repository root, with the file and alt text. */
function shownImages(): Array<{ file: string; image: string; alt: string; src: string }> {
  return shownMarkdownFiles().flatMap((file) =>
    markdownImages(readFileSync(path.join(REPO, file), 'utf8')).map(({ alt, src }) => ({
      file,
      alt,
      src,
      image: path.posix.normalize(path.posix.join(path.posix.dirname(file), src)),
    })),
  );
}

describe('images in the README and the walkthrough', () => {
  let packaged: Set<string>;

  before(function () {
    this.timeout(60_000);
    // vsce's own listing (it applies .vscodeignore exactly as `vsce package` does); no build needed.
    const vsce = path.join(REPO, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
    const listing = execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: REPO, encoding: 'utf8', timeout: 60_000, shell: process.platform === 'win32' });
    packaged = new Set(listing.split('\n').map((l) => l.trim()).filter(Boolean));
  });

  it('the README shows images only where the Extensions view and the Marketplace can: https, or relative with a repository (or base URL) for vsce to rewrite them to', () => {
    const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { repository?: unknown; vsce?: { baseImagesUrl?: string } };
    const rewritten = manifest.repository !== undefined || /^https:/i.test(manifest.vsce?.baseImagesUrl ?? '');
    for (const { src, image } of shownImages().filter((i) => i.file === 'README.md')) {
      if (/^https:/i.test(src)) continue;
      assert.ok(rewritten, `README image ${src} is relative, and package.json has no repository (or vsce.baseImagesUrl): \`vsce package\` refuses it`);
      assert.ok(existsSync(path.join(REPO, image)), `README image ${src} does not exist`);
    }
  });

  it('every image the docs show exists', () => {
    const docs = readdirSync(path.join(REPO, 'docs')).filter((f) => f.endsWith('.md'));
    let count = 0;
    for (const doc of docs) {
      for (const { src } of markdownImages(readFileSync(path.join(REPO, 'docs', doc), 'utf8'))) {
        if (/^[a-z][a-z+.-]*:/i.test(src)) continue;
        count++;
        assert.ok(existsSync(path.join(REPO, 'docs', src)), `docs/${doc} shows ${src}, which does not exist`);
      }
    }
    assert.ok(count >= 3, `only ${count} images in docs/`);
  });

  it('every image the walkthrough shows exists, is a PNG, has alt text, and is in the .vsix', () => {
    const images = shownImages().filter((i) => i.file !== 'README.md');
    assert.ok(images.length > 0);
    for (const { file, image, alt, src } of images) {
      if (/^https:/i.test(src)) continue; // served from elsewhere (the README, once published)
      assert.doesNotMatch(src, /^[a-z][a-z+.-]*:/i, `${file}: ${src} is not a file of the package`);
      assert.ok(alt.trim().length >= 10, `${file}: ${src} needs alt text that says what it shows`);
      const bytes = readFileSync(path.join(REPO, image));
      assert.ok(bytes.subarray(0, 8).equals(PNG_SIGNATURE), `${image} is not a PNG`);
      assert.ok(packaged.has(image), `${image} (shown by ${file}) is not in the .vsix: add it to .vscodeignore`);
    }
  });

  it('the .vsix carries no screenshot that nothing shows', () => {
    const shown = new Set(shownImages().map((i) => i.image));
    const unused = [...packaged].filter((f) => f.startsWith('media/screenshots/') && !shown.has(f));
    assert.deepEqual(unused, [], 'shipped but shown by neither the README nor the walkthrough');
  });

  it('packaging uses vsce as it comes: no flag that keeps relative README links (the Extensions view would drop those images)', () => {
    for (const packager of ['scripts/packagePlatforms.mjs', 'test/e2e/support/codeServer.ts']) {
      assert.ok(!readFileSync(path.join(REPO, packager), 'utf8').includes('--no-rewrite-relative-links'), `${packager} passes --no-rewrite-relative-links`);
    }
  });

  it('the walkthrough steps and their Markdown are in the .vsix', () => {
    for (const file of shownMarkdownFiles()) assert.ok(packaged.has(file), `${file} is not in the .vsix`);
  });
});

describe('markdownImages', () => {
  it('finds inline images and <img> tags, and nothing else', () => {
    const md = [
      '![A chat](media/a.png) and [a link](media/b.png)',
      '| ![Light one](../s/light.png) | ![](x.png "title") |',
      '<img src="media/c.png" alt="Panel">',
      '`![not an image](code.png)`',
    ].join('\n');
    assert.deepEqual(markdownImages(md), [
      { alt: 'A chat', src: 'media/a.png' },
      { alt: 'Light one', src: '../s/light.png' },
      { alt: '', src: 'x.png' },
      { alt: 'Panel', src: 'media/c.png' },
    ]);
  });
});
